/**
 * httpd's balancer-manager for Portico, at {@code /balancer-manager} of the web app
 * ({@link org.portico.manager.BalancerManagerServlet}).
 *
 * <h2>Who gets in</h2>
 * {@code web.xml} admits role {@code portico-admin} with BASIC authentication (realm {@code portico}):
 * no credentials get 401, other roles 403. Changes also need, as in httpd but refused out loud with 403
 * and the reason instead of being ignored: a POST (a GET with change fields is refused), an
 * {@code Origin} header, else a {@code Referer}, naming the manager's own scheme, host and port, and
 * the balancer's {@code nonce} (in the page's links, or in the JSON status). Every response forbids
 * framing, sniffing and caching; the page's inline style and script run under a per-response CSP nonce.
 *
 * <h2>Reading</h2>
 * <ul>
 *   <li>{@code GET /balancer-manager}: the page; {@code ?b=NAME} adds the balancer's edit form,
 *       {@code ?b=NAME&w=URL} the member's.</li>
 *   <li>{@code GET /balancer-manager?xml=1}: httpd's XML document, element for element.</li>
 *   <li>{@code GET /balancer-manager} with {@code Accept: application/json}: the same as JSON, with each
 *       balancer's {@code b} (name) and {@code nonce}, each member's {@code flags} by letter.</li>
 *   <li>{@code GET /balancer-manager/traffic}: requests and errors per second of every member over the
 *       last {@value org.portico.manager.TrafficHistory#CAPACITY} samples, which the page redraws from.</li>
 * </ul>
 *
 * <h2>Changing</h2>
 * {@code POST /balancer-manager} as {@code application/x-www-form-urlencoded} with httpd's field names,
 * or as {@code application/json}: one object with the same names, e.g.
 * {@code {"b":"mycluster","nonce":"...","w":"http://10.0.0.1:8080","w_lf":2,"w_status_D":false}}
 * (booleans are 1/0). {@code b} and {@code nonce} always; then any of:
 * <ul>
 *   <li>member ({@code w} = its URL): {@code w_lf} loadfactor 1..100, {@code w_ls} lbset 0..99,
 *       {@code w_wr} route, {@code w_rr} redirect (empty clears), {@code w_status_X} 1/0 for X in
 *       I, N, D, H, R, S, C (E is not editable), health-check {@code w_hm w_hi w_hp w_hf w_hu w_he};</li>
 *   <li>balancer: {@code b_lbm} any registered lbmethod, {@code b_tmo} 0..7200 s, {@code b_max} 0..99,
 *       {@code b_sforce} 1/0, {@code b_ss} NAME or COOKIE|PARAMETER ({@code -} deletes);
 *       {@code b_nwrkr=URL} with {@code b_wyes=1} adds a member, disabled, into a free growth slot;</li>
 *   <li>{@code discard_state=1}: deletes the saved state (below).</li>
 * </ul>
 * An empty numeric field means unchanged. Everything is checked before anything is applied: a bad value
 * gets 400 naming the field and what it allows, and changes nothing. A change applies at once to new
 * requests. The answer is the page (or XML with {@code xml}, or JSON for a JSON request or
 * {@code Accept: application/json}) with what changed.
 *
 * <h2>Persistence (httpd's BalancerPersist)</h2>
 * Context params, each overridable by a system property of the same name:
 * {@code portico.balancer-persist} (default false) writes every change atomically to
 * {@code portico.state-file} (default {@code portico-balancers.state} in the container's temp dir for
 * the web app, which some containers make anew at each start, so set a path) and restores it at
 * start-up; {@code portico.balancer-persist-reset=true} deletes it at start-up;
 * {@code portico.manager-sample-interval} (default 5s) sets the live picture's sampling.
 *
 * <p><b>Which wins</b> when the descriptor and the saved state disagree: the state records a digest of
 * each balancer's definition in the descriptor (all its values and its members', not their line
 * numbers). While that definition is unchanged, the saved state wins: settings, members' values and
 * flags, and members added at run time come back. Once the definition changed, the descriptor wins for
 * that balancer, its saved state is dropped and a warning says so; other balancers keep theirs.
 */
package org.portico.manager;
