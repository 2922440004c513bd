package id.jembatan.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.converter.ByteArrayHttpMessageConverter;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which requests the lean path of {@link BusiestEndpoints} takes, and which it leaves to the annotated controllers
 * (which refuse them as before: 405, 406, 415, 400 {@code MALFORMED_JSON}). Only the routing is decided here; what
 * each answers is proven against the running bus (LookupIT, VerificationIT, IngestHttpIT).
 */
class BusiestEndpointsTest {

    private static final String NIK = "/api/v1/citizens/3171014508990001";
    private static final String VERIFY = "/api/v1/citizens/verify";
    private static final String EVENTS = "/api/v1/events";

    private final RouterFunction<ServerResponse> routes = new BusiestEndpoints()
            .busiestRoutes(new CitizensController(null), new VerificationController(null), new EventsController(null),
                    new ObjectMapper());

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("GET", NIK + "?purpose=TAXPAYER_REGISTRATION", null, null, null, true),
                Arguments.of("GET", NIK, "application/json", null, null, true),
                Arguments.of("GET", NIK, "*/*", null, null, true),
                Arguments.of("GET", NIK, "text/html, application/*+json;q=0.5", null, null, true),
                Arguments.of("POST", VERIFY, null, "application/json", "{}", true),
                Arguments.of("POST", EVENTS, "application/json", "application/json;charset=UTF-8", "{}", true),
                // Left to the controllers:
                Arguments.of("HEAD", NIK, null, null, null, false),
                Arguments.of("POST", NIK, null, "application/json", "{}", false),
                Arguments.of("GET", NIK, "application/xml", null, null, false),
                Arguments.of("GET", NIK, "not a media type", null, null, false),
                Arguments.of("GET", NIK + "/access-log", null, null, null, false),
                Arguments.of("GET", "/api/v1/citizens/", null, null, null, false),
                Arguments.of("GET", VERIFY, null, null, null, true), // a NIK "verify": the controller's mapping too
                Arguments.of("POST", VERIFY, null, "text/plain", "{}", false),
                Arguments.of("POST", VERIFY, null, "not a media type", "{}", false),
                Arguments.of("POST", VERIFY, null, null, "{}", false),
                Arguments.of("POST", VERIFY, null, "application/json", "", false),
                Arguments.of("POST", EVENTS, "application/xml", "application/json", "{}", false),
                Arguments.of("PUT", EVENTS, null, "application/json", "{}", false));
    }

    /**
     * A request as an agency sends it. Result: taken by the lean path exactly when the controller would serve it
     * as it is (the method, a JSON {@code Accept} or none, a JSON body that is not empty).
     */
    @ParameterizedTest(name = "{0} {1} Accept {2} Content-Type {3}: {5}")
    @MethodSource("requests")
    void takesOnlyWhatTheControllerServes(String method, String uri, String accept, String contentType, String body,
                                          boolean taken) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri.replaceAll("\\?.*", ""));
        if (uri.contains("?")) {
            request.setQueryString(uri.substring(uri.indexOf('?') + 1));
        }
        if (accept != null) {
            request.addHeader("Accept", accept);
        }
        if (contentType != null) {
            request.setContentType(contentType);
        }
        if (body != null) {
            request.setContent(body.getBytes(StandardCharsets.UTF_8));
        }
        ServerRequest server = ServerRequest.create(request, List.of(new ByteArrayHttpMessageConverter()));
        assertThat(routes.route(server).isPresent()).as("taken by the lean path").isEqualTo(taken);
    }
}
