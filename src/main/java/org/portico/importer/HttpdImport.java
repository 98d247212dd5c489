package org.portico.importer;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Imports an httpd configuration (mod_proxy, mod_proxy_balancer, mod_proxy_hcheck) into a Portico
 * descriptor: the entry point of {@code import-httpd} and {@code --httpd-config}. Each call is
 * independent; the class is thread-safe.
 */
public final class HttpdImport {

    /**
     * The descriptor text (valid against the XSD), what the import says about the configuration, a summary, and
     * the value for {@code portico.manager-allow} (a context param, not part of the descriptor) from the
     * balancer-manager's {@code <Location>}, or null when it does not limit client addresses.
     */
    public record Result(String descriptor, ImportReport report, String summary, String managerAllow) {
    }

    private HttpdImport() {
    }

    /**
     * @param vhost the {@code <VirtualHost>} to import (ServerName, ServerAlias or address), or null to take
     *              the only one that proxies, if any
     * @throws ImportException with file, line and reason when httpd would refuse the configuration
     */
    public static Result run(Path httpdConf, String vhost) throws ImportException {
        return run(httpdConf, vhost, System::getenv);
    }

    /** As {@link #run(Path, String)}, with ${VAR}s that no Define sets looked up in {@code environment}. */
    public static Result run(Path httpdConf, String vhost, Function<String, String> environment) throws ImportException {
        ImportReport report = new ImportReport();
        List<ConfigNode> tree = new ConfigReader(report, environment).read(httpdConf);
        VirtualHosts.VirtualHost chosen = VirtualHosts.choose(tree, vhost);
        ProxyModel model = new HttpdImporter(report).run(tree, chosen);
        String source = httpdConf + (chosen == null ? "" : " (<VirtualHost " + chosen.section().argText() + ">)");
        String descriptor = DescriptorWriter.write(model, report, source);
        List<String> problems = SchemaCheck.problems(descriptor);
        if (!problems.isEmpty()) {
            throw new ImportException(null, httpdConf + ": the descriptor made from it does not validate against Portico's"
                    + " schema (a value httpd accepts that Portico cannot take): " + String.join("; ", problems)
                    + "\n" + numbered(descriptor));
        }
        long rules = model.rules.stream().filter(r -> r.comment() == null).count();
        String summary = model.balancers.size() + " balancer" + (model.balancers.size() == 1 ? "" : "s") + ", "
                + rules + " rule" + (rules == 1 ? "" : "s") + "; "
                + report.count(ImportReport.Kind.NOT_IMPORTED) + " not imported, "
                + report.count(ImportReport.Kind.NOT_PROXIED_YET) + " not proxied yet, "
                + report.count(ImportReport.Kind.WARNING) + " warnings, "
                + report.count(ImportReport.Kind.NOTE) + " notes";
        return new Result(descriptor, report, summary, model.managerAllow);
    }

    private static String numbered(String text) {
        StringBuilder b = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            b.append(String.format("%4d  %s%n", i + 1, lines[i]));
        }
        return b.toString();
    }
}
