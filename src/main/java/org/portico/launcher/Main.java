package org.portico.launcher;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.portico.importer.HttpdImport;
import org.portico.importer.ImportCommand;
import org.portico.importer.ImportException;
import org.portico.importer.ImportReport;

/**
 * {@code java -jar portico-standalone.jar}: runs the Portico WAR on embedded Jetty 12, with a
 * descriptor of the user's or the demo's.
 */
public final class Main {

    static final int EXIT_USAGE = 64;
    static final int EXIT_CONFIG = 2;
    /** The manager's allow-list; a system property reaches the WAR's context as its context param would. */

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("import-httpd")) {
            System.exit(ImportCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
            return;
        }
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("portico: " + e.getMessage());
            System.err.println(LaunchOptions.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        if (options.help()) {
            System.out.println(LaunchOptions.USAGE);
            return;
        }
        System.exit(run(options));
    }

    static int run(LaunchOptions options) throws Exception {
        DemoBackends demo = null;
        Path descriptor = options.config();
        Path realm = options.realm();
        if (options.demo()) {
            // fixed ports make the demo's descriptor readable; a test run (--port 0) takes free ones
            demo = options.port() == 0 ? DemoBackends.start(0, 0) : DemoBackends.start(8081, 8082);
            descriptor = demoDescriptor(demo);
            if (realm == null) {
                realm = demoRealm();
            }
        }
        if (options.httpdConfig() != null) {
            descriptor = importHttpd(options);
            if (descriptor == null) {
                return EXIT_CONFIG;
            }
        }
        if (descriptor != null) {
            System.setProperty("portico.descriptor", descriptor.toAbsolutePath().toString());
        }
        if (options.reload() != null) {
            System.setProperty("portico.reload", options.reload());
        }
        if (options.sharedState() != null) {
            System.setProperty("portico.shared-state", options.sharedState());
        }
        if (realm == null) {
            realm = Files.createTempFile("portico-realm", ".properties");
            realm.toFile().deleteOnExit();
        }
        ServerKeys keys = null;
        if (options.tls() != null) {
            try {
                keys = ServerKeys.load(options.tls());
            } catch (ServerKeys.Refused e) {
                System.err.println("portico: " + e.getMessage());
                if (demo != null) {
                    demo.close();
                }
                return EXIT_CONFIG;
            }
        }
        EmbeddedJetty jetty = new EmbeddedJetty(options.host(), options.port(),
                options.tls() == null ? -1 : options.tls().port(), keys, options.contextPath(), realm,
                options.headerTimeout());
        try {
            jetty.start(warFile(), options.libs());
        } catch (Exception e) {
            System.err.println("portico: did not start: " + rootMessage(e));
            jetty.stop();
            if (demo != null) {
                demo.close();
            }
            return EXIT_CONFIG;
        }
        jetty.urls().stream().filter(u -> u.startsWith("http:")).findFirst().ifPresent(ServerWarmUp::run);
        for (String url : jetty.urls()) {
            System.out.println("Portico " + EmbeddedJetty.version() + " is serving on " + url
                    + (url.startsWith("https:") ? " (HTTP/2 and HTTP/1.1)" : ""));
        }
        if (demo != null) {
            String url = jetty.urls().get(0);
            System.out.println("Demo backends: b1 on 127.0.0.1:" + demo.ports().get(0) + ", b2 on 127.0.0.1:"
                    + demo.ports().get(1) + ". Try: curl " + url);
            System.out.println("Demo balancer-manager: " + url + "balancer-manager");
        }
        final DemoBackends backends = demo;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                jetty.stop();
                if (backends != null) {
                    backends.close();
                }
            } catch (Exception ignored) {
                // the JVM is exiting
            }
        }, "portico-shutdown"));
        jetty.join();
        return 0;
    }

    /** Imports --httpd-config into a temporary descriptor; null (the reason printed) when it cannot be imported. */
    private static Path importHttpd(LaunchOptions options) throws Exception {
        HttpdImport.Result result;
        try {
            result = HttpdImport.run(options.httpdConfig(), options.vhost());
        } catch (ImportException e) {
            System.err.println("portico: " + e.getMessage());
            return null;
        }
        for (ImportReport.Entry e : result.report().entries()) {
            System.err.println(e);
        }
        Path file = Files.createTempFile("portico-httpd", ".xml");
        file.toFile().deleteOnExit();
        Files.writeString(file, result.descriptor());
        System.err.println("portico: imported " + options.httpdConfig() + " (" + result.summary() + ") into " + file);
        // what the configuration asks of the web app's context params reaches it as system properties, which win
        // over context params (portico.manager-allow, portico.balancer-persist); one given with -D wins over the import
        result.contextParams().forEach((name, value) -> {
            String given = System.getProperty(name);
            if (given == null) {
                System.setProperty(name, value);
                System.err.println("portico: " + name + "=" + value + " (from the imported configuration)");
            } else {
                System.err.println("portico: -D" + name + "=" + given + " is kept, not the imported configuration's " + value);
            }
        });
        return file;
    }

    /**
     * examples/demo.xml as the demo runs it: its members on the backends' {@code ports}, and room for the
     * balancer-manager to add members at run time (b_nwrkr). The file stays readable with its fixed ports.
     *
     * @throws IllegalStateException when the text this edits is no longer in the file, naming it
     */
    static String withDemoPorts(String xml, List<Integer> ports) {
        String edited = replaceOnce(xml, "\"http://127.0.0.1:8081\"", "\"http://127.0.0.1:" + ports.get(0) + "\"");
        edited = replaceOnce(edited, "\"http://127.0.0.1:8082\"", "\"http://127.0.0.1:" + ports.get(1) + "\"");
        return replaceOnce(edited, "<balancer name=\"demo\" lbmethod=\"byrequests\">",
                "<balancer name=\"demo\" lbmethod=\"byrequests\" growth=\"3\">");
    }

    private static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new IllegalStateException("examples/demo.xml must contain " + from + " exactly once (the demo sets its"
                    + " ports and growth there); it contains it " + (at < 0 ? "nowhere" : "more than once"));
        }
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    private static Path demoDescriptor(DemoBackends demo) throws Exception {
        String xml;
        try (InputStream in = Main.class.getResourceAsStream("/examples/demo.xml")) {
            if (in == null) {
                throw new IllegalStateException("examples/demo.xml is missing from the jar");
            }
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        xml = withDemoPorts(xml, demo.ports());
        Path file = Files.createTempFile("portico-demo", ".xml");
        file.toFile().deleteOnExit();
        Files.writeString(file, xml);
        return file;
    }

    private static Path demoRealm() throws Exception {
        byte[] secret = new byte[9];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path file = Files.createTempFile("portico-demo-realm", ".properties");
        file.toFile().deleteOnExit();
        Files.writeString(file, "admin: " + password + ",portico-admin\n");
        System.out.println("Demo manager login: admin / " + password);
        return file;
    }

    private static Path warFile() throws Exception {
        Path war = Files.createTempFile("portico", ".war");
        war.toFile().deleteOnExit();
        try (InputStream in = Main.class.getResourceAsStream("/portico.war")) {
            if (in == null) {
                throw new IllegalStateException("portico.war is missing from the jar");
            }
            Files.copy(in, war, StandardCopyOption.REPLACE_EXISTING);
        }
        return war;
    }

    private static String rootMessage(Throwable e) {
        String prefix = "Portico descriptor error: ";
        Throwable deepest = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith(prefix)) {
                return t.getMessage().substring(prefix.length());
            }
            deepest = t;
        }
        return String.valueOf(deepest.getMessage() != null ? deepest.getMessage() : deepest);
    }
}
