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
 * The WAR with {@code portico-shared-etcd.jar} in WEB-INF/lib and the context param {@code portico.shared-state}, as
 * the README tells operators: a change another instance writes to etcd reaches this deployment's balancer, and an edit
 * in its balancer-manager lands in etcd. A subclass per container sets the params its way; no system property is set.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class ContainerSharedState {

    static final String PREFIX = "/war-it";
    static EtcdServer etcd;
    static Backend backend;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ADMIN = "Basic " + Base64.getEncoder().encodeToString("admin:admin-secret".getBytes(
            StandardCharsets.UTF_8));

    @ArquillianResource
    private URL base;

    /** Starts etcd and a backend and returns the built WAR with the etcd engine and the two params' values. */
    static WebArchive warWithEngine(String[] params) throws Exception {
        etcd = EtcdServer.start();
        backend = Backend.start("b1");
        Path descriptor = PorticoProcess.descriptor("""
                <portico xmlns="urn:portico:descriptor:1">
                  <balancer name="web"><member url="%s"/></balancer>
                  <pass path="/web/" to="balancer://web/"/>
                </portico>
                """.formatted(backend.origin()));
        params[0] = descriptor.toString();
        params[1] = "etcd://" + etcd.endpoint() + PREFIX + "?instance=war";
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/portico.war"))
                .addAsLibrary(new File("target/portico-shared-etcd.jar"));
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (backend != null) {
            backend.close();
        }
        if (etcd != null) {
            etcd.close();
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

    /** etcd's JSON gateway, as another instance or an operator's etcdctl would reach the store. */
    private static String etcdCall(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + etcd.endpoint() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void theContextParamSharesTheBalancerThroughEtcd() throws Exception {
        Poll.until(Duration.ofSeconds(60), () -> status().getAsJsonObject("sharedState").get("connected").getAsBoolean(),
                Boolean.TRUE::equals);
        // another instance's change, written to the store
        String intent = Intents.json(new MemberIntent(backend.origin(), false, 700, 0, "", "", "", "NONE", "", 60_000, 1,
                1, "", "elsewhere", System.currentTimeMillis()));
        etcdCall("/v3/kv/put", "{\"key\":\"" + b64(memberKey()) + "\",\"value\":\"" + b64(intent) + "\"}");
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
        String stored = etcdCall("/v3/kv/range", "{\"key\":\"" + b64(memberKey()) + "\"}");
        String value = new String(Base64.getDecoder().decode(JsonParser.parseString(stored).getAsJsonObject()
                .getAsJsonArray("kvs").get(0).getAsJsonObject().get("value").getAsString()), StandardCharsets.UTF_8);
        assertTrue(value.contains("\"lbfactor\":300") && value.contains("\"writer\":\"war\""), value);
    }
}
