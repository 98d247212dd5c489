package org.portico.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.portico.testkit.Backend;
import org.portico.testkit.Http;
import org.portico.testkit.PorticoProcess;

/**
 * The built WAR names no descriptor, so the container's own context param is the one that counts (the
 * WAR's web.xml used to name the demo's and win). A subclass per container adds that container's way of
 * setting it, as the README tells operators; no system property is set.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class ContainerContextParam {

    private static Backend backend;

    @ArquillianResource
    private URL base;

    /** Starts the backend, writes a descriptor routing everything to it, and returns a copy of the built WAR. */
    static WebArchive builtWarAndDescriptor(String[] descriptorPath) throws Exception {
        backend = Backend.start("from-context-param");
        Path descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <pass path="/" to="%s/"/>
                </portico>
                """.formatted(backend.origin()));
        descriptorPath[0] = descriptor.toString();
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/portico.war"));
    }

    @AfterAll
    static void stopBackend() throws Exception {
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }

    @Test
    void theContainersContextParamNamesTheDescriptor() throws Exception {
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        HttpResponse<String> r = Http.get(URI.create(root + "name"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("from-context-param", r.body());
    }
}
