package org.portico.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ProxyHCExpr subset: what parses, what it evaluates to, and what is refused with its position. */
class HcExpressionTest {

    private static final CheckResponse OK = new CheckResponse(200, Map.of("x-state", "green", "content-type", "text/plain"),
            "status: UP\nversion 3");
    private static final CheckResponse ERROR = new CheckResponse(503, Map.of(), "Under maintenance");

    private static boolean eval(String expr, CheckResponse r) {
        return HcExpression.parse(expr).test(r);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
            "%{REQUEST_STATUS} == 200 ; true ; false",
            "%{REQUEST_STATUS} = '200' ; true ; false",
            "%{REQUEST_STATUS} != 200 ; false ; true",
            "%{REQUEST_STATUS} =~ /^[23]/ ; true ; false",
            "%{REQUEST_STATUS} !~ /^5/ ; true ; false",
            "%{REQUEST_STATUS} -lt 400 ; true ; false",
            "%{REQUEST_STATUS} -ge 500 ; false ; true",
            "%{REQUEST_STATUS} < 400 ; true ; false",
            "hc('body') =~ /status: UP/ ; true ; false",
            "%{HC_BODY} =~ m#version [0-9]# ; true ; false",
            "hc('body') !~ /Under maintenance/ ; true ; false",
            "hc('body') =~ /under MAINTENANCE/i ; false ; true",
            "%{HC_BODY} contains 'UP' ; true ; false",
            "resp('X-State') == 'green' ; true ; false",
            "resp('x-missing') == '' ; true ; true",
            "%{REQUEST_STATUS} == 200 && hc('body') =~ /UP/ ; true ; false",
            "%{REQUEST_STATUS} == 503 || hc('body') =~ /UP/ ; true ; true",
            "!(%{REQUEST_STATUS} -ge 500) ; true ; false",
            "! %{REQUEST_STATUS} == 200 || true ; true ; true",
            "{%{REQUEST_STATUS} =~ /^[5]/} ; false ; true",
            "(%{REQUEST_STATUS} == 200 || %{REQUEST_STATUS} == 204) && !(resp('X-State') == 'red') ; true ; false",
            "false || %{REQUEST_STATUS} == 200 && false ; false ; false"})
    void evaluates(String expr, boolean onOk, boolean onError) {
        assertEquals(onOk, eval(expr, OK), expr + " on 200");
        assertEquals(onError, eval(expr, ERROR), expr + " on 503");
    }

    @Test
    void andBindsTighterThanOr() {
        assertTrue(eval("true || false && false", OK));
        assertFalse(eval("(true || false) && false", OK));
    }

    @Test
    void anIntegerComparisonOnTextFailsTheCheckInsteadOfThrowing() {
        HcExpression e = HcExpression.parse("hc('body') -eq 3");
        assertThrows(HcExpression.EvaluationError.class, () -> e.test(OK));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "%{REQUEST_URI} == '/'                 | variable %{REQUEST_URI} is not one Portico evaluates",
            "req('Host') == 'x'                    | function req('Host') is not one Portico evaluates",
            "%{REQUEST_STATUS} -in {'200','204'}   | '-in {'200','204'}' is not an operator",
            "-n %{HC_BODY}                         | is not a value Portico evaluates",
            "%{REQUEST_STATUS} =~ '^2'             | =~ and !~ take a regular expression",
            "hc('body') =~ /(unclosed/             | the regular expression does not compile",
            "hc('body') =~ /x/g                    | regex flag 'g' is not supported",
            "(%{REQUEST_STATUS} == 200             | missing ')'",
            "%{REQUEST_STATUS} == 200 &&           | the expression ends where a value is expected",
            "%{REQUEST_STATUS}                     | a comparison needs an operator",
            "hc('body') == \"%{REQUEST_STATUS}\"   | strings with %{...}",
            "%{REQUEST_STATUS} == 200 200          | unexpected '200'"})
    void refusesWhatItCannotEvaluate(String expr, String message) {
        HcExpression.Unsupported e = assertThrows(HcExpression.Unsupported.class, () -> HcExpression.parse(expr));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().contains(" at character "), e.getMessage());
    }
}
