package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.portico.testkit.Backend;
import org.portico.testkit.Poll;
import org.portico.testkit.PorticoProcess;

/**
 * A person at a real browser (headless Chromium from Debian's packages, driven by Selenium through
 * Debian's chromedriver; nothing is downloaded): logs in, disables a member with the form, sees its
 * status change, and the live picture redraws under the page's Content-Security-Policy. The page is
 * saved as {@code target/balancer-manager-*.png}.
 */
class StandaloneManagerBrowserIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    @Timeout(120)
    void anAdminDisablesAMemberThroughTheFormAndSeesItsStatusChange() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("This test needs headless Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": install Debian's packages with 'apt-get update && apt-get install -y chromium chromium-driver'"
                    + " (.ci/run does this when they are missing)");
        }
        Path realm = Files.createTempFile("portico-realm", ".properties");
        Files.writeString(realm, "admin: admin-secret,portico-admin\n");
        Path profile = Files.createTempDirectory("portico-chromium");
        try (Backend b1 = Backend.start("b1"); Backend b2 = Backend.start("b2")) {
            Path descriptor = PorticoProcess.descriptor("""
                    <portico xmlns="urn:portico:descriptor:1">
                      <balancer name="web" growth="1">
                        <member url="%s" route="r1"/>
                        <member url="%s" route="r2"/>
                      </balancer>
                      <pass path="/web/" to="balancer://web/"/>
                    </portico>
                    """.formatted(b1.origin(), b2.origin()));
            try (PorticoProcess portico = PorticoProcess.start(List.of("-Dportico.manager-sample-interval=200ms"),
                    "--config", descriptor.toString(), "--realm", realm.toString(), "--port", "0")) {
                String base = portico.awaitUrl(Duration.ofSeconds(60));
                HttpClient http = HttpClient.newHttpClient();
                for (int i = 0; i < 10; i++) {
                    http.send(HttpRequest.newBuilder(URI.create(base + "web/")).build(), HttpResponse.BodyHandlers.discarding());
                }
                ChromeDriver browser = startBrowser(profile);
                try {
                    // the browser's own Basic login for every request of this session, the page's fetches included
                    browser.executeCdpCommand("Network.enable", Map.of());
                    browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization",
                            "Basic " + Base64.getEncoder().encodeToString("admin:admin-secret".getBytes(StandardCharsets.UTF_8)))));
                    browser.get(base + "balancer-manager");
                    assertEquals("Balancer Manager", browser.getTitle(), browser.getPageSource());
                    Poll.until(Duration.ofSeconds(15), () -> browser.findElement(By.tagName("body")).getAttribute("data-redrawn"),
                            redrawn -> redrawn != null);
                    String points = browser.findElement(By.cssSelector("svg.chart[data-series='rps'] polyline")).getAttribute("points");
                    assertTrue(points != null && !points.isEmpty(), "the script drew the requests it sampled: " + points);
                    screenshot(browser, "overview");

                    browser.findElement(By.linkText(b1.origin())).click();
                    assertTrue(browser.getPageSource().contains("Edit worker settings for " + b1.origin()));
                    browser.findElement(By.id("w_status_D_on")).click();
                    browser.findElement(By.id("worker-submit")).click();

                    // the click starts the form's navigation; the answer page is not necessarily there yet
                    WebElement notice = Poll.until(Duration.ofSeconds(15), () -> browser.findElements(By.id("notice")),
                            found -> !found.isEmpty()).get(0);
                    assertTrue(notice.getText().contains(b1.origin() + ": set D (Dis)"), notice.getText());
                    assertEquals("Init Dis", statusOf(browser, b1.origin()));
                    assertEquals("Init Ok", statusOf(browser, b2.origin()));
                    screenshot(browser, "disabled");
                } finally {
                    browser.quit();
                }
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < 4; i++) {
                    seen.add(http.send(HttpRequest.newBuilder(URI.create(base + "web/")).build(),
                            HttpResponse.BodyHandlers.ofString()).headers().firstValue("X-Backend").orElse("?"));
                }
                assertEquals(Set.of("b2"), seen, "the disabled member takes no more requests");
            }
        }
    }

    private static ChromeDriver startBrowser(Path profile) {
        // Debian's driver and browser, named explicitly, so Selenium Manager never looks for (or fetches) either
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,1400", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static String statusOf(ChromeDriver browser, String member) {
        return browser.findElement(By.xpath("//table[@class='workers']//tr[td/a[text()='" + member + "']]/td[@class='status']"))
                .getText().trim();
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "balancer-manager-" + name + ".png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
