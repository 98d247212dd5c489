package org.portico.manager;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The client addresses the balancer-manager answers ({@code portico.manager-allow}), as httpd's
 * {@code Require ip} in a {@code <Location /balancer-manager>}: a comma-separated list of IPv4 or IPv6
 * addresses, each with an optional {@code /prefix} ({@code 127.0.0.1/32,10.0.0.0/8,::1}). Immutable; thread-safe.
 */
final class AddressAllowList {

    /** One network: its address bytes and how many leading bits must match. */
    private record Network(byte[] address, int prefix) {

        boolean contains(byte[] candidate) {
            if (candidate.length != address.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (candidate[full] & mask) == (address[full] & mask);
        }
    }

    private final List<Network> networks;
    private final String text;

    private AddressAllowList(List<Network> networks, String text) {
        this.networks = List.copyOf(networks);
        this.text = text;
    }

    /**
     * @param text the param's value; null or blank means every address
     * @return null when every address is allowed
     * @throws IllegalArgumentException naming the param and the entry that is not an address or network
     */
    static AddressAllowList parse(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        List<Network> networks = new ArrayList<>();
        for (String entry : text.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int slash = e.indexOf('/');
            String host = slash < 0 ? e : e.substring(0, slash);
            byte[] address = literal(name, e, host);
            int max = address.length * 8;
            int prefix = max;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException ex) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > max) {
                    throw new IllegalArgumentException(name + ": '" + e + "' has no prefix length from 0 to " + max);
                }
            }
            networks.add(new Network(address, prefix));
        }
        if (networks.isEmpty()) {
            throw new IllegalArgumentException(name + " '" + text + "' names no address");
        }
        return new AddressAllowList(networks, text.trim());
    }

    /** An IP literal only: a host name would mean a DNS lookup per request, and a spoofable one. */
    private static byte[] literal(String name, String entry, String host) {
        boolean looksLikeIp = host.indexOf(':') >= 0 || host.toLowerCase(Locale.ROOT).matches("[0-9.]+");
        if (looksLikeIp) {
            try {
                return InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                // falls through to the refusal
            }
        }
        throw new IllegalArgumentException(name + ": '" + entry + "' is not an IP address or network (e.g. 10.0.0.0/8, ::1)");
    }

    /** Whether {@code remoteAddr} (an IP literal, as the container reports it) is in one of the networks. */
    boolean allows(String remoteAddr) {
        byte[] candidate;
        try {
            candidate = InetAddress.getByName(remoteAddr.startsWith("[") ? remoteAddr.substring(1, remoteAddr.length() - 1)
                    : remoteAddr).getAddress();
        } catch (UnknownHostException | RuntimeException e) {
            return false;
        }
        if (candidate.length == 16 && isV4Mapped(candidate)) {
            byte[] v4 = new byte[4];
            System.arraycopy(candidate, 12, v4, 0, 4);
            candidate = v4;
        }
        for (Network n : networks) {
            if (n.contains(candidate)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF;
    }

    @Override
    public String toString() {
        return text;
    }
}
