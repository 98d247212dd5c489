package org.portico.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portico.testkit.PorticoProcess;

/**
 * On Tomcat a refused descriptor is one line where an operator looks: at SEVERE in java.util.logging's root,
 * which stock Tomcat's logging.properties sends to catalina.out (the console) and catalina.DATE.log, and in
 * the servlet context's log (localhost.DATE.log), where Tomcat puts the listener's stack trace. The built WAR
 * runs on embedded Tomcat, whose records go to the JDK's LogManager, so a handler on the root sees them all.
 */
@Timeout(120)
class TomcatDescriptorErrorIT {

    @TempDir
    Path dir;

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Test
    void aBrokenDescriptorIsOneSevereLineInTomcatsConsoleLogAndInTheContextLog() throws Exception {
        Path descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <pass path="/" to="ftp://nowhere/"/>
                </portico>
                """);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createDirectories(dir.resolve("tomcat")).toString());
        try {
            Context context = tomcat.addWebapp("/portico", Path.of("target", "portico.war").toAbsolutePath().toString());
            context.addParameter("portico.descriptor", descriptor.toString());
            tomcat.start();
            assertTrue(context.getState() != LifecycleState.STARTED, "the deployment must fail: " + context.getState());

            String line = "Portico descriptor error: " + descriptor + ":2:";
            List<LogRecord> portico = logged.stream()
                    .filter(r -> "org.portico.web.PorticoLifecycle".equals(r.getLoggerName())).toList();
            assertEquals(1, portico.size(), () -> "one line from Portico; got " + messages(portico));
            assertEquals(Level.SEVERE, portico.get(0).getLevel());
            assertTrue(portico.get(0).getMessage().startsWith(line), portico.get(0).getMessage());
            assertNull(portico.get(0).getThrown(), "no stack trace under Portico's line");

            assertTrue(logged.stream().anyMatch(r -> r.getLoggerName() != null && r.getLoggerName().endsWith("[/portico]")
                    && r.getMessage() != null && r.getMessage().startsWith(line)),
                    () -> "the line in the servlet context's log; got " + messages(logged));
        } finally {
            root.removeHandler(capture);
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private static List<String> messages(List<LogRecord> records) {
        return records.stream().map(r -> r.getLoggerName() + " " + r.getLevel() + " " + r.getMessage()).toList();
    }
}
