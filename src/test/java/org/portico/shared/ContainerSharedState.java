package org.portico.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.portico.testkit.Backend;
import org.portico.testkit.EtcdServer;
import org.portico.testkit.Poll;
import org.portico.testkit.PorticoProcess;

/**
 * The WAR with an engine's jar in WEB-INF/lib and the context param {@code portico.shared-state}, as the README tells
 * operators: a change another instance writes to the store reaches this deployment's balancer, and an edit in its
 * balancer-manager lands in the store. A subclass per container and engine sets the params its way; no system
 * property is set.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class ContainerSharedState {

    static final String PREFIX = "/war-it";
    /** The store the deployment was given, started by the subclass's deployment method. */
    static StoreAccess store;
    static Backend backend;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ADMIN = "Basic " + Base64.getEncoder().encodeToString("admin:admin-secret".getBytes(
            StandardCharsets.UTF_8));

    @ArquillianResource
    private URL base;

    /** A store as another instance or an operator's tool reaches it, beside the deployment. */
    interface StoreAccess extends AutoCloseable {

        /** The deployment's {@code portico.shared-state}. */
        String address();

        void put(String key, String value) throws Exception;

        String get(String key) throws Exception;
    }

    /** A real etcd, reached through its JSON gateway. */
    static final class Etcd implements StoreAccess {

        private final EtcdServer etcd;

        Etcd() throws Exception {
            etcd = EtcdServer.start();
        }

        @Override
        public String address() {
            return "etcd://" + etcd.endpoint() + PREFIX + "?instance=war";
        }

        private String call(String path, String body) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + etcd.endpoint() + path))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
        }

        @Override
        public void put(String key, String value) throws Exception {
            call("/v3/kv/put", "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}");
        }

        @Override
        public String get(String key) throws Exception {
            String stored = call("/v3/kv/range", "{\"key\":\"" + b64(key) + "\"}");
            return new String(Base64.getDecoder().decode(JsonParser.parseString(stored).getAsJsonObject()
                    .getAsJsonArray("kvs").get(0).getAsJsonObject().get("value").getAsString()), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws Exception {
            etcd.close();
        }
    }

    /** Starts a backend and returns the built WAR with {@code engineJar} in WEB-INF/lib; params[0] is the descriptor. */
    static WebArchive warWithEngine(StoreAccess access, String engineJar, String[] params) throws Exception {
        store = access;
        backend = Backend.start("b1");
        Path descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="web"><member url="%s"/></balancer>
                  <pass path="/web/" to="balancer://web/"/>
                </portico>
                """.formatted(backend.origin()));
        params[0] = descriptor.toString();
        params[1] = access.address();
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/portico.war"))
                .addAsLibrary(new File(engineJar));
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (backend != null) {
            backend.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private String manager() {
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        return root + "balancer-manager";
    }

    private JsonObject status() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(manager())).header("Authorization", ADMIN)
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private JsonObject balancer() throws Exception {
        for (JsonElement b : status().getAsJsonArray("balancers")) {
            if (b.getAsJsonObject().get("b").getAsString().equals("web")) {
                return b.getAsJsonObject();
            }
        }
        throw new AssertionError("no balancer web");
    }

    private double loadfactor() throws Exception {
        return balancer().getAsJsonArray("workers").get(0).getAsJsonObject().get("loadfactor").getAsDouble();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String memberKey() {
        return PREFIX + "/v1/members/web/" + URLEncoder.encode(backend.origin(), StandardCharsets.UTF_8);
    }

    @Test
    void theContextParamSharesTheBalancerThroughTheStore() throws Exception {
        Poll.until(Duration.ofSeconds(60), () -> status().getAsJsonObject("sharedState").get("connected").getAsBoolean(),
                Boolean.TRUE::equals);
        // another instance's change, written to the store
        String intent = Intents.json(new MemberIntent(backend.origin(), false, 700, 0, "", "", "", "NONE", "", 60_000, 1,
                1, "", "elsewhere", System.currentTimeMillis()));
        store.put(memberKey(), intent);
        Poll.until(Duration.ofSeconds(10), this::loadfactor, lf -> lf == 7.0);

        // an edit in this deployment's manager goes to the store, with the version it showed
        String nonce = balancer().get("nonce").getAsString();
        String origin = URI.create(manager()).resolve("/").toString().replaceAll("/$", "");
        String form = "b=web&w=" + URLEncoder.encode(backend.origin(), StandardCharsets.UTF_8) + "&nonce=" + nonce
                + "&w_lf=3";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(manager())).header("Authorization", ADMIN)
                .header("Origin", origin).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(3.0, loadfactor());
        String value = store.get(memberKey());
        assertTrue(value.contains("\"lbfactor\":300") && value.contains("\"writer\":\"war\""), value);
    }
}
