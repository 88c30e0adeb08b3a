/**
 * The service provider interface between the core and the transports (web, WebSocket, TCP, spec helper) and other
 * infrastructure bundles. Action authors do not need it.
 *
 * <pre>
 *   transport ──ActionRequest──▶ ActionRunner (core) ──▶ middleware ▶ inputs ▶ Action
 *       ▲                              │
 *       └────────ActionResult──────────┘   errors named by HeraldError, worded by Messages
 * </pre>
 *
 * <p>Since 1.1: {@link io.herald.api.spi.ClusterTransport}, which carries the cluster bus between nodes, and
 * {@link io.herald.api.spi.LocalConnections}, which tells the bus which client connections this node holds.
 *
 * <p>Since 1.2: {@link io.herald.api.spi.ServerIdentity#placeholderServerToken()}, so a cluster transport can warn
 * that a node with the shared development token lets any node on its transport join.
 *
 * <p>Since 1.3: {@link io.herald.api.spi.NodeReady}, the condition that servers and task workers wait for.
 *
 * <p>Since 1.4: {@link io.herald.api.spi.Authenticator} and {@link io.herald.api.spi.Redactor}, the services of the
 * authentication and param-filtering bundles; {@link io.herald.api.spi.ActionRequest#metadata()} and
 * {@link io.herald.api.spi.ActionResult#cookies()} carry headers in and cookies out; the param limits' errors
 * {@link io.herald.api.spi.HeraldError#TOO_MANY_PARAMS}, {@link io.herald.api.spi.HeraldError#PARAM_TOO_LONG} and
 * {@link io.herald.api.spi.HeraldError#PARAM_TOO_DEEP}.
 *
 * <p>Since 1.5: stateful connections ({@link io.herald.api.spi.TransportConnection#stateful}, their
 * {@link io.herald.api.spi.ClientChannel}) announced to the core's {@link io.herald.api.spi.ConnectionRegistry}.
 *
 * <p>Since 1.6: the web server's errors {@link io.herald.api.spi.HeraldError#FILE_TOO_LARGE} (uploads),
 * {@link io.herald.api.spi.HeraldError#QUERY_TOO_LONG} and {@link io.herald.api.spi.HeraldError#ORIGIN_NOT_ALLOWED} (CORS).
 *
 * <p>Since 1.7: the web server's errors for hostile clients {@link io.herald.api.spi.HeraldError#HTTP_VERSION_NOT_SUPPORTED}
 * and {@link io.herald.api.spi.HeraldError#REQUEST_TIMEOUT}; and {@link io.herald.api.spi.TaskQueueLength}, the jobs waiting in the task queues, for the
 * {@code status} action's {@code resqueTotalQueueLength}.
 *
 * <p>Since 1.8: {@link io.herald.api.spi.ActionRequest#requestId()}, the id a transport gives a call for the logs
 * ({@code X-Request-Id} on the web, the {@code messageId} on WebSocket and TCP); and
 * {@link io.herald.api.spi.ActionObserver}, told of every call's result (the metrics bundle counts and
 * times calls with it).
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.8.0")
package io.herald.api.spi;
