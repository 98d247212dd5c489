package org.portico.importer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** httpd's notations of a client network ({@code Require ip}, {@code Allow from}) as Portico's {@code address/prefix}. */
final class HttpdNetwork {

    private static final Pattern IPV4_PART = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){0,3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private HttpdNetwork() {
    }

    /**
     * httpd's forms of a network as {@code address/prefix}: an address, a CIDR, an address/netmask, or the
     * leading bytes of an IPv4 address ({@code 10.1} is 10.1.0.0/16). Null when it is none of these.
     */
    static String cidr(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        String mask = slash < 0 ? null : text.substring(slash + 1);
        if (IPV6.matcher(address).matches()) {
            try {
                // a literal with a colon is never looked up in DNS
                InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                return null;
            }
            if (mask == null) {
                return address + "/128";
            }
            return mask.matches("\\d{1,3}") && Integer.parseInt(mask) <= 128 ? address + "/" + mask : null;
        }
        if (!IPV4_PART.matcher(address).matches()) {
            return null;
        }
        String[] parts = address.split("\\.");
        for (String p : parts) {
            if (Integer.parseInt(p) > 255) {
                return null;
            }
        }
        if (parts.length < 4) {
            if (mask != null) {
                return null;
            }
            StringBuilder full = new StringBuilder(address);
            for (int i = parts.length; i < 4; i++) {
                full.append(".0");
            }
            return full + "/" + parts.length * 8;
        }
        if (mask == null) {
            return address + "/32";
        }
        if (mask.matches("\\d{1,2}")) {
            return Integer.parseInt(mask) <= 32 ? address + "/" + mask : null;
        }
        Integer prefix = netmaskBits(mask);
        return prefix == null ? null : address + "/" + prefix;
    }

    /** The prefix length of a dotted netmask such as 255.255.0.0; null unless its one bits are contiguous. */
    private static Integer netmaskBits(String mask) {
        String[] parts = mask.split("\\.");
        if (parts.length != 4 || !IPV4_PART.matcher(mask).matches()) {
            return null;
        }
        long bits = 0;
        for (String p : parts) {
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            bits = bits << 8 | v;
        }
        int ones = Long.bitCount(bits);
        long expected = ones == 0 ? 0 : (0xFFFFFFFFL << (32 - ones)) & 0xFFFFFFFFL;
        return bits == expected ? ones : null;
    }
}
