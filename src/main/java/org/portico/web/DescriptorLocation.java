package org.portico.web;

import jakarta.servlet.ServletContext;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.function.Function;
import org.portico.config.Descriptor;
import org.portico.config.DescriptorException;
import org.portico.config.DescriptorLoader;
import org.portico.config.SourceLocation;

/**
 * Where the descriptor comes from: the system property {@code portico.descriptor}, else the
 * environment variable {@code PORTICO_DESCRIPTOR}, else the context param {@code portico.descriptor}.
 * There is no default: a WAR deployed without one must fail, not proxy to a demo's backends. A value may
 * be a {@code file:} URL, a path inside the WAR (starting with {@code /} and present there), or a file path.
 */
final class DescriptorLocation {

    static final String PARAM = "portico.descriptor";
    static final String ENV = "PORTICO_DESCRIPTOR";
    /** What the deployment failure says when no descriptor is named. */
    static final String MISSING = "no descriptor is configured: name it with the context param " + PARAM
            + " (Tomcat: <Parameter name=\"" + PARAM + "\" value=\"/etc/portico/portico.xml\"/> in"
            + " conf/Catalina/localhost/<app>.xml; Jetty: setInitParameter in the context XML; WildFly: the system"
            + " property, jboss-cli /system-property=" + PARAM + ":add(value=FILE)), the system property -D" + PARAM
            + "=FILE or the environment variable " + ENV;

    private DescriptorLocation() {
    }

    /** The configured location, or null when none is. */
    static String choose(ServletContext context, Function<String, String> env) {
        String v = System.getProperty(PARAM);
        if (blank(v)) {
            v = env.apply(ENV);
        }
        if (blank(v)) {
            v = context.getInitParameter(PARAM);
        }
        return blank(v) ? null : v.trim();
    }

    static Descriptor load(ServletContext context, String location) throws DescriptorException {
        if (location.startsWith("file:")) {
            try {
                URL url = new URL(location);
                Path file = Path.of(url.toURI());
                return DescriptorLoader.load(file);
            } catch (MalformedURLException | java.net.URISyntaxException | IllegalArgumentException e) {
                throw new DescriptorException(SourceLocation.unknown(location), "is not a valid file: URL (" + e.getMessage() + ")");
            }
        }
        if (location.startsWith("/")) {
            try {
                URL inWar = context.getResource(location);
                if (inWar != null) {
                    String real = context.getRealPath(location);
                    return DescriptorLoader.load(inWar, real == null ? null : Path.of(real).getParent());
                }
            } catch (MalformedURLException e) {
                // not a resource path: try it as a file
            }
        }
        return DescriptorLoader.load(Path.of(location));
    }

    /**
     * The file {@code location} names, to watch for changes; null for a descriptor inside the WAR (it changes
     * only with the WAR) or a location that is no file.
     */
    static Path file(ServletContext context, String location) {
        try {
            if (location.startsWith("file:")) {
                return Path.of(new URL(location).toURI());
            }
            if (location.startsWith("/") && context.getResource(location) != null) {
                return null;
            }
            return Path.of(location);
        } catch (MalformedURLException | java.net.URISyntaxException | IllegalArgumentException e) {
            return null; // InvalidPathException included
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
