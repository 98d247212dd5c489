package org.portico.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.portico.config.TestDescriptors.FILE;
import static org.portico.config.TestDescriptors.load;
import static org.portico.config.TestDescriptors.refused;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Documents refused before binding: unreadable, not well-formed, schema-invalid, or carrying a DOCTYPE. */
class DescriptorDocumentErrorsTest {


    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.xml");
        DescriptorException e = assertThrows(DescriptorException.class, () -> DescriptorLoader.load(missing));
        assertTrue(e.getMessage().startsWith(missing + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void unclosedTagIsPlacedWhereTheParserNoticedIt() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="a">
                    <member url="http://127.0.0.1:8081"/>
                </portico>
                """, 4, 3, "\"balancer\" must be terminated by the matching end-tag");
    }

    @Test
    void emptyDocument() {
        refused("", 1, 1, "Premature end of file");
    }

    @Test
    void textThatIsNotUtf8IsRefused() {
        byte[] latin1 = "<portico xmlns=\"urn:portico:descriptor:1\"><settings server-name=\"caf\u00e9\"/></portico>"
                .getBytes(StandardCharsets.ISO_8859_1);
        DescriptorException e = assertThrows(DescriptorException.class,
                () -> DescriptorLoader.load(new ByteArrayInputStream(latin1), FILE, null));
        assertTrue(e.getMessage().startsWith(FILE + ": is not valid UTF-8"), e.getMessage());
    }

    @Test
    void aDeclaredEncodingIsHonoured() throws DescriptorException {
        byte[] latin1 = ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
                + "<portico xmlns=\"urn:portico:descriptor:1\"><settings server-name=\"caf\u00e9\"/></portico>")
                .getBytes(StandardCharsets.ISO_8859_1);
        Descriptor d = DescriptorLoader.load(new ByteArrayInputStream(latin1), FILE, null);
        assertEquals("caf\u00e9", d.settings().serverName());
    }

    // ------------------------------------------------------------------ schema violations


    @Test
    void unknownAttributeIsPlacedAtTheAttribute() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="a"
                            bogus="1">
                  </balancer>
                </portico>
                """, 3, 13, "<balancer> has no attribute 'bogus'");
    }

    @Test
    void unknownElementIsPlacedAtItsTag() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <settings/>
                  <bogus/>
                </portico>
                """, 3, 3, "<bogus> is not allowed here", "expected one of:", "<balancer>", "<pass>");
    }

    @Test
    void elementsOutOfOrderAreRefusedWithWhatWasExpected() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <pass path="/" to="balancer://a/"/>
                  <balancer name="a"><member url="http://127.0.0.1:8081"/></balancer>
                </portico>
                """, 3, 3, "<balancer> is not allowed here");
    }

    @Test
    void durationWithoutUnit() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="a">
                    <member url="http://127.0.0.1:8081"
                            timeout="5"/>
                  </balancer>
                </portico>
                """, 4, 13, "timeout=\"5\" on <member> is not a duration", "unit (ms, s, m or h)", "e.g. 5s");
    }

    @Test
    void lbsetAbove99() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="a">
                    <member url="http://127.0.0.1:8081" lbset="100"/>
                  </balancer>
                </portico>
                """, 3, 41, "lbset=\"100\" on <member> is too large", "largest allowed value is 99");
    }

    @Test
    void statusWithAnUnknownFlag() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="a">
                    <member url="http://127.0.0.1:8081" status="+X"/>
                  </balancer>
                </portico>
                """, 3, 41, "status=\"+X\" on <member> is not a status", "I, N, D, S, E, H, R or C");
    }

    @Test
    void failonstatusOutsideHttpStatuses() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="a" failonstatus="500,700"/>
                </portico>
                """, 2, 22, "failonstatus=\"500,700\" on <balancer> is not a list of HTTP status codes", "100 to 599");
    }

    @Test
    void enumerationNamesTheAllowedValues() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <settings via="maybe"/>
                </portico>
                """, 2, 13, "via=\"maybe\" on <settings> is not allowed: use one of off, on, full, block");
    }

    @Test
    void notANumber() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="a" maxattempts="two"/>
                </portico>
                """, 2, 22, "maxattempts=\"two\" on <balancer> is not a whole number");
    }

    @Test
    void balancerNameWithASpace() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="my cluster"/>
                </portico>
                """, 2, 13, "name=\"my cluster\" on <balancer> is not a balancer name: use letters, digits and . _ ~ -");
    }

    @Test
    void stickysessionsepOfTwoCharacters() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="a" stickysessionsep="--"/>
                </portico>
                """, 2, 22, "stickysessionsep=\"--\" on <balancer> is not a separator: use a single character, or Off");
    }

    @Test
    void passPathNotStartingWithASlash() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <pass path="app" to="http://127.0.0.1:8081/app"/>
                </portico>
                """, 2, 9, "path=\"app\" on <pass> is not a path: it must start with /");
    }

    @Test
    void missingRequiredAttribute() {
        refused("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="a">
                    <member loadfactor="2"/>
                  </balancer>
                </portico>
                """, 3, 5, "<member> needs the attribute 'url'");
    }

    @Test
    void wrongRootNamespace() {
        refused("""
                <portico xmlns="urn:portico:descriptor:2">
                </portico>
                """, 1, 1, "the root element must be <portico xmlns=\"urn:portico:descriptor:1\">");
    }

    @Test
    void rootWithoutNamespace() {
        refused("""
                <!-- no namespace -->
                <portico>
                  <settings/>
                </portico>
                """, 2, 1, "the root element must be <portico xmlns=\"urn:portico:descriptor:1\">");
    }

    // ------------------------------------------------------------------ DOCTYPEs: no XXE, no entity expansion


    @Test
    void externalEntityIsRefusedAndNeverRead() {
        DescriptorException e = refused("""
                <?xml version="1.0"?>
                <!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <portico xmlns="urn:portico:descriptor:1">
                  <settings server-name="&x;"/>
                </portico>
                """, 2, 1, "DOCTYPE declarations are not allowed");
        assertFalse(e.getMessage().contains("root:"), e.getMessage());
    }

    @Test
    void entityExpansionIsRefusedBeforeAnyExpansion() {
        DescriptorException e = refused("""
                <?xml version="1.0"?>
                <!DOCTYPE portico [
                  <!ENTITY lol "lol">
                  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
                  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
                  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
                  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
                  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
                  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
                  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
                  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
                ]>
                <portico xmlns="urn:portico:descriptor:1"><settings server-name="&lol9;"/></portico>
                """, 2, 1, "DOCTYPE declarations are not allowed", "entity expansion");
        assertFalse(e.getMessage().contains("lollol"), e.getMessage());
    }

    @Test
    void externalDtdIsRefusedWithoutFetchingIt() {
        refused("""
                <!DOCTYPE portico SYSTEM "http://127.0.0.1:9/portico.dtd">
                <portico xmlns="urn:portico:descriptor:1"/>
                """, 1, 1, "DOCTYPE declarations are not allowed");
    }
}
