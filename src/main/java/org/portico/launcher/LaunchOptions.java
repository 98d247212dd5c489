package org.portico.launcher;

import java.nio.file.Path;

/** The standalone launcher's command line. */
record LaunchOptions(boolean demo, Path config, String host, int port, Path realm, String contextPath, boolean help) {

    static final String USAGE = String.join("\n",
            "Usage: java -jar portico-standalone.jar [options]",
            "",
            "  --demo               start two demo backends on loopback and balance them (examples/demo.xml)",
            "  --config FILE        run this Portico descriptor",
            "  --port N             listen on port N (default 8080; 0 picks a free port)",
            "  --host H             listen on address H (default 127.0.0.1)",
            "  --realm FILE         users and roles for the container's login, Jetty HashLoginService format:",
            "                       name: password,role,...   (role portico-admin opens the balancer-manager)",
            "  --context PATH       web app context path (default /)",
            "  --help               this text",
            "",
            "The descriptor can also come from -Dportico.descriptor=... or PORTICO_DESCRIPTOR.",
            "A bad descriptor prints file:line:column: problem and exits with status 2.");

    static LaunchOptions parse(String[] args) {
        boolean demo = false;
        boolean help = false;
        Path config = null;
        Path realm = null;
        String host = "127.0.0.1";
        int port = 8080;
        String context = "/";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--demo": demo = true; break;
                case "--help": case "-h": help = true; break;
                case "--config": config = Path.of(value(args, ++i, a)); break;
                case "--realm": realm = Path.of(value(args, ++i, a)); break;
                case "--host": host = value(args, ++i, a); break;
                case "--context": context = value(args, ++i, a); break;
                case "--port":
                    String p = value(args, ++i, a);
                    try {
                        port = Integer.parseInt(p);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port takes a number, not '" + p + "'");
                    }
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException("--port must be 0..65535");
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (!context.startsWith("/")) {
            throw new IllegalArgumentException("--context must start with /");
        }
        return new LaunchOptions(demo, config, host, port, realm, "/".equals(context) ? "" : context, help);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
