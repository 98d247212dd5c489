package org.portico.importer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code import-httpd httpd.conf [-o portico.xml] [--vhost NAME]}: writes the descriptor to the file or
 * to standard output, and the report to standard error. Exit status 0 when imported, 2 when the
 * configuration cannot be imported, 64 for a usage error.
 */
public final class ImportCommand {

    public static final int EXIT_IMPORT_FAILED = 2;
    public static final int EXIT_USAGE = 64;

    public static final String USAGE = String.join("\n",
            "Usage: java -jar portico-standalone.jar import-httpd HTTPD.CONF [-o PORTICO.XML] [--vhost NAME]",
            "",
            "  Writes the Portico descriptor equivalent to an httpd configuration (ProxyPass, BalancerMember, ...),",
            "  valid against Portico's schema, to standard output or to the -o file. What is not imported, and",
            "  every quirk of httpd the descriptor keeps, is listed on standard error with its file and line.",
            "",
            "  -o, --output FILE    write the descriptor to FILE instead of standard output",
            "  --vhost NAME         import this <VirtualHost> (its ServerName, ServerAlias or address); needed when",
            "                       several virtual hosts proxy requests",
            "",
            "Exit status: 0 imported, 2 the configuration cannot be imported (file:line: reason), 64 usage error.");

    private ImportCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path conf = null;
        Path output = null;
        String vhost = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-o", "--output" -> output = Path.of(value(args, ++i, a));
                    case "--vhost" -> vhost = value(args, ++i, a);
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> {
                        if (a.startsWith("-") || conf != null) {
                            throw new IllegalArgumentException(a.startsWith("-") ? "unknown option '" + a + "'"
                                    : "one httpd configuration at a time ('" + conf + "' and '" + a + "')");
                        }
                        conf = Path.of(a);
                    }
                }
            }
            if (conf == null) {
                throw new IllegalArgumentException("import-httpd needs the httpd configuration file");
            }
        } catch (IllegalArgumentException e) {
            err.println("portico import-httpd: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }
        HttpdImport.Result result;
        try {
            result = HttpdImport.run(conf, vhost);
        } catch (ImportException e) {
            err.println("portico import-httpd: " + e.getMessage());
            return EXIT_IMPORT_FAILED;
        }
        for (ImportReport.Entry e : result.report().entries()) {
            err.println(e);
        }
        if (output == null) {
            out.print(result.descriptor());
            out.flush();
        } else {
            try {
                Files.writeString(output, result.descriptor(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("portico import-httpd: cannot write " + output + ": " + e.getMessage());
                return EXIT_IMPORT_FAILED;
            }
        }
        err.println("portico import-httpd: " + conf + " -> " + (output == null ? "standard output" : output.toString())
                + ": " + result.summary());
        if (result.managerAllow() != null) {
            // a context param, not a descriptor element: the operator sets it where the WAR is deployed
            err.println("portico import-httpd: the balancer-manager admits only " + result.managerAllow() + ": set the context"
                    + " param (or -D) portico.manager-allow=" + result.managerAllow() + " where Portico runs"
                    + " (--httpd-config sets it itself)");
        }
        return 0;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
