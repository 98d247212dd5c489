package org.portico.proxy;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.portico.config.ProxySettings;

/**
 * What httpd's Max-Forwards handling makes of one request: either it goes on with the value to send,
 * or Portico has answered it already (a TRACE or OPTIONS at zero gets 200, anything else at zero or a
 * value that is not a number gets 400).
 *
 * @param answered whether the client has its answer; nothing is forwarded then
 * @param toSend the Max-Forwards value to send on (-1: none); meaningful only when not answered
 */
record MaxForwards(boolean answered, int toSend) {

    private static final MaxForwards ANSWERED = new MaxForwards(true, -1);

    /** Decrements the client's Max-Forwards, or answers the request here when it has reached zero or is bad. */
    static MaxForwards check(HttpServletRequest c2p, HttpServletResponse p2c, ProxySettings settings) throws IOException {
        String header = c2p.getHeader("Max-Forwards");
        if (header == null) {
            return new MaxForwards(false, settings.maxForwards());
        }
        long value;
        try {
            value = Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 0) {
            ErrorPage.send(c2p, p2c, 400, "Max-Forwards is not a number: " + header);
            return ANSWERED;
        }
        if (value == 0) {
            if ("OPTIONS".equals(c2p.getMethod()) || "TRACE".equals(c2p.getMethod())) {
                // httpd's ap_send_http_options for a proxied request: only TRACE is its own to offer (§12.8)
                p2c.setStatus(200);
                p2c.setHeader("Allow", "TRACE");
                p2c.setContentLength(0);
            } else {
                ErrorPage.send(c2p, p2c, 400, "Max-Forwards has reached zero - proxy loop?");
            }
            return ANSWERED;
        }
        return new MaxForwards(false, (int) Math.min(Integer.MAX_VALUE, value - 1));
    }
}
