package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.portico.balancer.Balancer;
import org.portico.proxy.Gateway;

/**
 * The manager's views while many threads select: the lbstatus values they show were read together,
 * between two selections. byrequests credits every candidate its loadfactor and debits the chosen one
 * the total, so between selections the members' lbstatus add up to zero; a view that read them while
 * a selection was half done would show another sum.
 */
class ViewsUnderLoadTest {

    private static final int SELECTORS = 4;
    private static final int RENDERS = 100;
    private static final Pattern XML_LBSTATUS = Pattern.compile("<httpd:lbstatus>(-?\\d+)</httpd:lbstatus>");
    /** The page's Status, Elected, Busy and Load cells. */
    private static final Pattern PAGE_LOAD = Pattern.compile(
            "<td class=\"status\">[^<]*</td><td class=\"num\">\\d+</td><td class=\"num\">-?\\d+</td>"
                    + "<td class=\"num\">(-?\\d+)</td>");

    @Test
    void theViewsShowLbstatusValuesReadBetweenTwoSelections() throws Exception {
        try (Gateway g = Fixtures.gateway("""
                <balancer name="abc">
                  <member url="http://a" loadfactor="1"/> <member url="http://b" loadfactor="2"/>
                  <member url="http://c" loadfactor="3"/> <member url="http://d" loadfactor="4"/>
                </balancer>
                """)) {
            Balancer b = g.balancer("abc");
            TrafficHistory history = new TrafficHistory(g, Duration.ofSeconds(5), System::currentTimeMillis);
            ManagerPage.View view = new ManagerPage.View("/balancer-manager", "front", "N0NCE", false, null, null,
                    List.of(), null);
            LongAdder selections = new LongAdder();
            List<String> sums = new ArrayList<>();
            whileSelecting(b, selections, () -> {
                for (int i = 0; i < RENDERS; i++) {
                    sums.add(sum("xml", XML_LBSTATUS, XmlStatus.render(g.balancers())));
                    sums.add(sum("page", PAGE_LOAD, ManagerPage.render(g, history, view)));
                    sums.add(sum("json", JsonStatus.render(g, "front", false)));
                }
            });
            assertTrue(selections.sum() > RENDERS, "the views were rendered while selections ran: " + selections.sum());
            List<String> wrong = sums.stream().filter(s -> !s.endsWith(" 0")).toList();
            assertEquals(List.of(), wrong.subList(0, Math.min(5, wrong.size())),
                    wrong.size() + " of " + sums.size() + " views showed a selection half done");
        }
    }

    private static String sum(String view, Pattern lbstatus, String text) {
        Matcher m = lbstatus.matcher(text);
        long sum = 0;
        int n = 0;
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
            n++;
        }
        assertEquals(4, n, view + " shows four lbstatus values: " + text);
        return view + " " + sum;
    }

    @SuppressWarnings("unchecked")
    private static String sum(String view, Map<String, Object> json) {
        Map<String, Object> balancer = (Map<String, Object>) ((List<Object>) json.get("balancers")).get(0);
        long sum = 0;
        for (Object w : (List<Object>) balancer.get("workers")) {
            sum += (Long) ((Map<String, Object>) w).get("lbstatus");
        }
        return view + " " + sum;
    }

    /** Runs {@code views} on this thread while {@link #SELECTORS} threads keep selecting on {@code b}. */
    private static void whileSelecting(Balancer b, LongAdder selections, Runnable views) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            ExecutorService pool = Executors.newFixedThreadPool(SELECTORS);
            AtomicBoolean done = new AtomicBoolean();
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < SELECTORS; t++) {
                    futures.add(pool.submit(() -> {
                        while (!done.get()) {
                            b.selectWithoutSession(0).worker();
                            selections.increment();
                        }
                        return null;
                    }));
                }
                while (selections.sum() < SELECTORS) {
                    Thread.yield();
                }
                try {
                    views.run();
                } finally {
                    done.set(true);
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        });
    }
}
