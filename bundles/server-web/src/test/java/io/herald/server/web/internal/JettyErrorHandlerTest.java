package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

class JettyErrorHandlerTest {

    @Test
    void a_request_whose_connection_closed_first_is_let_go_without_an_answer_nor_an_error() throws Exception {
        // What Jetty hands its error handler when a connection closes under a request it still holds (seen under load:
        // the header timeout cut off a client whose half-sent request Jetty was refusing as /badRequest).
        Request request = (Request) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Request.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> ErrorHandler.ERROR_EXCEPTION.equals(args[0]) ? new EofException() : null;
                    case "getMethod" -> "GET";
                    case "getHttpURI" -> HttpURI.from("/badRequest");
                    default -> throw new AssertionError("request." + method.getName());
                });
        List<String> responseCalls = new ArrayList<>();
        Response response = (Response) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Response.class },
                (proxy, method, args) -> {
                    responseCalls.add(method.getName());
                    return method.getName().equals("getStatus") ? 500 : null;
                });
        AtomicReference<String> outcome = new AtomicReference<>();
        JettyErrorHandler handler = new JettyErrorHandler(() -> {
            throw new AssertionError("no site is asked to word an answer nobody can read");
        });

        assertTrue(handler.handle(request, response, Callback.from(() -> outcome.set("succeeded"),
                failure -> outcome.set("failed: " + failure))));

        assertEquals("succeeded", outcome.get());
        assertEquals(List.of(), responseCalls, "nothing is written to a closed connection");
    }
}
