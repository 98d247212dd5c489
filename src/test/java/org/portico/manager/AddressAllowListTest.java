package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddressAllowListTest {

    private static AddressAllowList list(String text) {
        return AddressAllowList.parse("portico.manager-allow", text);
    }

    @Test
    void noValueAllowsEveryAddress() {
        assertNull(list(null));
        assertNull(list("  "));
    }

    @Test
    void networksMatchByTheirPrefix() {
        AddressAllowList l = list("127.0.0.1/32, 10.0.0.0/8,192.168.4.0/22");
        assertTrue(l.allows("127.0.0.1"));
        assertFalse(l.allows("127.0.0.2"));
        assertTrue(l.allows("10.200.3.4"));
        assertFalse(l.allows("11.0.0.1"));
        assertTrue(l.allows("192.168.7.255"));
        assertFalse(l.allows("192.168.8.0"));
    }

    @Test
    void anAddressWithoutPrefixIsThatAddressAlone() {
        AddressAllowList l = list("::1,172.16.0.9");
        assertTrue(l.allows("::1"));
        assertTrue(l.allows("[::1]"), "as some containers report IPv6");
        assertTrue(l.allows("172.16.0.9"));
        assertFalse(l.allows("172.16.0.8"));
        assertFalse(l.allows("::2"));
    }

    @Test
    void anIpv4MappedIpv6ClientMatchesItsIpv4Network() {
        assertTrue(list("127.0.0.0/8").allows("::ffff:127.0.0.1"));
    }

    @Test
    void prefixZeroAllowsTheWholeFamily() {
        AddressAllowList l = list("0.0.0.0/0");
        assertTrue(l.allows("203.0.113.9"));
        assertFalse(l.allows("2001:db8::1"));
    }

    @Test
    void badEntriesAreRefusedByName() {
        IllegalArgumentException host = assertThrows(IllegalArgumentException.class, () -> list("localhost"));
        assertEquals("portico.manager-allow: 'localhost' is not an IP address or network (e.g. 10.0.0.0/8, ::1)",
                host.getMessage());
        IllegalArgumentException prefix = assertThrows(IllegalArgumentException.class, () -> list("10.0.0.0/33"));
        assertEquals("portico.manager-allow: '10.0.0.0/33' has no prefix length from 0 to 32", prefix.getMessage());
        assertThrows(IllegalArgumentException.class, () -> list(" , "));
    }
}
