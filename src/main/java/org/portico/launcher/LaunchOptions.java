package org.portico.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.portico.config.Durations;

/**
 * The standalone launcher's command line.
 *
 * @param port the plain HTTP port; -1 with --no-http
 * @param tls  the TLS listener; null without --https-port
 * @param reload {@code off}, {@code manual} or {@code watch} (--reload); null: the setting's default
 * @param sharedState the shared-state store's address (--shared-state); null: none
 * @param libs jars added to the web app's class path (--lib), such as a shared-state engine
 */
record LaunchOptions(boolean demo, Path config, Path httpdConfig, String vhost, String host, int port, TlsOptions tls,
                     Path realm, String contextPath, Duration headerTimeout, String reload, boolean help,
                     String sharedState, java.util.List<Path> libs) {

    /**
     * mod_reqtimeout's default header=20-40,MinRate=500 gives a head 20 s, more if it keeps coming at 500
     * bytes/s; 20 s is enough for the largest head Jetty takes (8 KiB) at 410 bytes/s.
     */
    static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(20);

    static final String USAGE = String.join("\n",
            "Usage: java -jar portico-standalone.jar [options]",
            "       java -jar portico-standalone.jar import-httpd HTTPD.CONF [-o PORTICO.XML] [--vhost NAME]",
            "",
            "  --demo               start two demo backends on loopback and balance them (examples/demo.xml)",
            "  --config FILE        run this Portico descriptor",
            "  --httpd-config FILE  run an httpd configuration (ProxyPass, BalancerMember, ...): it is imported into a",
            "                       temporary descriptor first; what is not imported is listed on standard error",
            "  --vhost NAME         with --httpd-config: the <VirtualHost> to run (ServerName, ServerAlias or address)",
            "  --port N             listen on port N (default 8080; 0 picks a free port)",
            "  --host H             listen on address H (default 127.0.0.1)",
            "  --https-port N       also listen for TLS on port N (0 picks a free port), HTTP/2 offered by ALPN and",
            "                       HTTP/1.1 for other clients; the key and certificate come from --keystore or from",
            "                       --tls-cert with --tls-key",
            "  --keystore FILE      a PKCS#12 keystore (.p12) holding the server's key and certificate chain; its",
            "                       password from --keystore-password-file FILE (first line), the environment",
            "                       variable PORTICO_KEYSTORE_PASSWORD, or --keystore-password TEXT (seen by ps)",
            "  --tls-cert FILE      the certificate chain in PEM, the server's first (e.g. fullchain.pem)",
            "  --tls-key FILE       its private key in unencrypted PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)",
            "  --no-http            no plain HTTP listener: only --https-port",
            "  --realm FILE         users and roles for the container's login, Jetty HashLoginService format:",
            "                       name: password,role,...   (role portico-admin opens the balancer-manager)",
            "  --context PATH       web app context path (default /)",
            "  --header-timeout T   close a connection whose request head is not complete T after it opened or after",
            "                       its previous response (default 20s, as httpd's mod_reqtimeout; 0 switches it off;",
            "                       also -Dportico.header-timeout=T); T is a number and a unit: 500ms, 20s, 1m",
            "  --reload MODE        when the descriptor of --config is reloaded while running: manual (default: the",
            "                       balancer-manager's Reload descriptor button), watch (also when the file changes;",
            "                       -Dportico.reload-interval=2s) or off; also -Dportico.reload=MODE",
            "  --shared-state URI   share the balancer-manager's changes and the members' health with other instances",
            "                       through etcd://host:port[,host:port]/prefix or zk://host:port[,...]/prefix",
            "                       (README: Running several instances); also -Dportico.shared-state=URI",
            "  --lib JAR            add JAR to the web app's class path, e.g. portico-shared-etcd.jar (repeatable)",
            "  --help               this text",
            "",
            "The descriptor can also come from -Dportico.descriptor=... or PORTICO_DESCRIPTOR.",
            "A bad descriptor prints file:line:column: problem and exits with status 2; so does an httpd",
            "configuration that cannot be imported (file:line: problem).",
            "import-httpd writes the descriptor for an httpd configuration; import-httpd --help tells more.");

    static LaunchOptions parse(String[] args) {
        return parse(args, System::getenv);
    }

    static LaunchOptions parse(String[] args, Function<String, String> env) {
        boolean demo = false;
        boolean noHttp = false;
        int httpsPort = -1;
        Path keystore = null;
        String password = null;
        Path passwordFile = null;
        Path cert = null;
        Path key = null;
        boolean help = false;
        Path config = null;
        Path httpdConfig = null;
        String vhost = null;
        Path realm = null;
        String host = "127.0.0.1";
        int port = 8080;
        String context = "/";
        Duration headerTimeout = duration(System.getProperty("portico.header-timeout"), "-Dportico.header-timeout",
                DEFAULT_HEADER_TIMEOUT);
        String reload = null;
        String sharedState = null;
        java.util.List<Path> libs = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--demo": demo = true; break;
                case "--help": case "-h": help = true; break;
                case "--config": config = Path.of(value(args, ++i, a)); break;
                case "--httpd-config": httpdConfig = Path.of(value(args, ++i, a)); break;
                case "--vhost": vhost = value(args, ++i, a); break;
                case "--realm": realm = Path.of(value(args, ++i, a)); break;
                case "--host": host = value(args, ++i, a); break;
                case "--context": context = value(args, ++i, a); break;
                case "--header-timeout": headerTimeout = duration(value(args, ++i, a), a, null); break;
                case "--reload":
                    reload = value(args, ++i, a).trim().toLowerCase(java.util.Locale.ROOT);
                    if (!java.util.List.of("off", "manual", "watch").contains(reload)) {
                        throw new IllegalArgumentException("--reload takes off, manual or watch, not '" + args[i] + "'");
                    }
                    break;
                case "--port": port = port(value(args, ++i, a), a); break;
                case "--https-port": httpsPort = port(value(args, ++i, a), a); break;
                case "--no-http": noHttp = true; break;
                case "--keystore": keystore = Path.of(value(args, ++i, a)); break;
                case "--keystore-password": password = value(args, ++i, a); break;
                case "--keystore-password-file": passwordFile = Path.of(value(args, ++i, a)); break;
                case "--tls-cert": cert = Path.of(value(args, ++i, a)); break;
                case "--tls-key": key = Path.of(value(args, ++i, a)); break;
                case "--shared-state": sharedState = value(args, ++i, a); break;
                case "--lib": {
                    Path lib = Path.of(value(args, ++i, a));
                    if (!java.nio.file.Files.isRegularFile(lib)) {
                        throw new IllegalArgumentException("--lib " + lib + ": no such file");
                    }
                    libs.add(lib);
                    break;
                }
                default:
                    throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (!context.startsWith("/")) {
            throw new IllegalArgumentException("--context must start with /");
        }
        if (httpdConfig != null && (config != null || demo)) {
            throw new IllegalArgumentException("--httpd-config runs an httpd configuration: it does not go with "
                    + (demo ? "--demo" : "--config"));
        }
        if (vhost != null && httpdConfig == null) {
            throw new IllegalArgumentException("--vhost chooses a <VirtualHost> of --httpd-config, which is missing");
        }
        TlsOptions tls = tls(httpsPort, keystore, password, passwordFile, cert, key, env);
        if (noHttp && tls == null) {
            throw new IllegalArgumentException("--no-http leaves no listener: add --https-port");
        }
        if ("watch".equals(reload) && config == null) {
            throw new IllegalArgumentException("--reload watch watches the descriptor of --config, which is missing"
                    + " (an imported httpd configuration or the demo is not watched)");
        }
        return new LaunchOptions(demo, config, httpdConfig, vhost, host, noHttp ? -1 : port, tls, realm,
                "/".equals(context) ? "" : context, headerTimeout, reload, help, sharedState, java.util.List.copyOf(libs));
    }

    /** The TLS listener's options, checked for completeness; null without --https-port. */
    private static TlsOptions tls(int port, Path keystore, String password, Path passwordFile, Path cert, Path key,
                                  Function<String, String> env) {
        if (port < 0) {
            String stray = keystore != null ? "--keystore" : cert != null ? "--tls-cert" : key != null ? "--tls-key"
                    : password != null ? "--keystore-password" : passwordFile != null ? "--keystore-password-file" : null;
            if (stray != null) {
                throw new IllegalArgumentException(stray + " is for the TLS listener, which needs --https-port");
            }
            return null;
        }
        if (keystore != null && (cert != null || key != null)) {
            throw new IllegalArgumentException("--keystore and --tls-cert/--tls-key are two ways to give the key: choose one");
        }
        if (keystore == null) {
            if (cert == null || key == null) {
                throw new IllegalArgumentException("--https-port needs --keystore FILE, or --tls-cert FILE with --tls-key FILE"
                        + (cert != null ? " (--tls-key is missing)" : key != null ? " (--tls-cert is missing)" : ""));
            }
            if (password != null || passwordFile != null) {
                throw new IllegalArgumentException("--keystore-password is for --keystore: the PEM key must be unencrypted");
            }
            return new TlsOptions(port, null, null, null, null, cert, key);
        }
        if (password != null && passwordFile != null) {
            throw new IllegalArgumentException("--keystore-password and --keystore-password-file: give one");
        }
        String from = password != null ? "--keystore-password" : passwordFile != null ? "--keystore-password-file " + passwordFile
                : TlsOptions.PASSWORD_ENV;
        if (password == null && passwordFile == null) {
            password = env.apply(TlsOptions.PASSWORD_ENV);
            if (password == null) {
                throw new IllegalArgumentException("--keystore needs its password: --keystore-password-file FILE, the "
                        + "environment variable " + TlsOptions.PASSWORD_ENV + " or --keystore-password TEXT");
            }
        }
        return new TlsOptions(port, keystore, password, passwordFile, from, null, null);
    }

    private static int port(String text, String option) {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, not '" + text + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + " must be 0..65535");
        }
        return port;
    }

    /** {@code text} as a duration ("0" alone is zero); {@code otherwise} when text is null. */
    private static Duration duration(String text, String option, Duration otherwise) {
        if (text == null) {
            return otherwise;
        }
        if (text.trim().equals("0")) {
            return Duration.ZERO;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
