package id.jembatan.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.servlet.mvc.method.annotation.ExceptionHandlerExceptionResolver;

import java.io.IOException;
import java.util.List;

/**
 * The API's busiest calls, a lookup ({@code GET /api/v1/citizens/{nik}}), a verification
 * ({@code POST /api/v1/citizens/verify}) and an event ({@code POST /api/v1/events}), answered as functional endpoints:
 * found before the annotated controllers (Spring's {@code RouterFunctionMapping} comes first), without their argument
 * resolution, content negotiation and message conversion, which were a third of a lookup's request-thread CPU
 * (docs/performance.md). Each calls its controller's own method, so the service, the audit, the quota and the
 * answer are the controller's; the answer is the same JSON, written as bytes.
 *
 * <p>Only a request the controller would serve as such is taken here: the method, a JSON {@code Accept} (or none),
 * and for a body a JSON {@code Content-Type} and at least one byte. Any other (another method, a body of another type
 * or none, an {@code Accept} that excludes JSON or does not parse) goes on to the controller, which refuses it as
 * before (405, 415, 400 {@code MALFORMED_JSON}, 406). A refusal thrown by a controller's method here is answered by
 * the same {@link ProblemHandler} (problem+json with its code), as it would be for the controller.
 */
@Configuration(proxyBeanMethods = false)
public class BusiestEndpoints implements WebMvcConfigurer {

    @Bean
    RouterFunction<ServerResponse> busiestRoutes(CitizensController citizens, VerificationController verification,
                                                    EventsController events, ObjectMapper mapper) {
        RequestPredicate answersJson = method(HttpMethod.GET).and(acceptsJson());
        RequestPredicate postsJson = method(HttpMethod.POST).and(acceptsJson()).and(sendsJson());
        return RouterFunctions.route()
                .route(RequestPredicates.path("/api/v1/citizens/{nik}").and(answersJson), request ->
                        json(mapper, ResponseEntity.ok(citizens.get(request.pathVariable("nik"),
                                parameter(request, "purpose"), agency()))))
                .route(RequestPredicates.path("/api/v1/citizens/verify").and(postsJson), request ->
                        json(mapper, ResponseEntity.ok(verification.verify(body(request), agency()))))
                .route(RequestPredicates.path("/api/v1/events").and(postsJson), request ->
                        json(mapper, events.post(body(request), agency())))
                .build();
    }

    /**
     * {@link ProblemHandler} answers for the functional endpoints too: Spring MVC applies a controller advice to them
     * only when its resolver is told which handlers it serves. Here: these, and what it served before (the
     * controllers, and a request no handler was found for), not the other handlers (static resources, the console).
     */
    @Override
    public void extendHandlerExceptionResolvers(List<HandlerExceptionResolver> resolvers) {
        for (HandlerExceptionResolver resolver : resolvers) {
            if (resolver instanceof ExceptionHandlerExceptionResolver advice) {
                advice.setMappedHandlerPredicate(handler -> handler == null || handler instanceof HandlerFunction<?>
                        || AnnotatedElementUtils.hasAnnotation(handler.getClass(), Controller.class));
            }
        }
    }

    /** The answer as the controller's message converter writes it: status, headers, the body as JSON bytes. */
    private static ServerResponse json(ObjectMapper mapper, ResponseEntity<?> answer) throws JsonProcessingException {
        return ServerResponse.status(answer.getStatusCode())
                .headers(headers -> headers.addAll(answer.getHeaders()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(mapper.writeValueAsBytes(answer.getBody()));
    }

    /** {@code @AuthenticationPrincipal String}: the signed-in caller's principal when it is a name, else none. */
    private static String agency() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        return caller != null && caller.getPrincipal() instanceof String name ? name : null;
    }

    /** {@code @RequestParam(required = false) String}: the values joined with commas, as Spring converts them. */
    private static String parameter(ServerRequest request, String name) {
        String[] values = request.servletRequest().getParameterValues(name);
        return values == null ? null : String.join(",", values);
    }

    /** The body, already read whole by {@link RequestBodyFilter}. */
    private static byte[] body(ServerRequest request) throws IOException {
        return request.servletRequest().getInputStream().readAllBytes();
    }

    /**
     * The request's own method: not {@code RequestPredicates.method}, which takes a CORS pre-flight ({@code OPTIONS})
     * for the method it announces; HEAD, OPTIONS and the rest go to the controllers.
     */
    private static RequestPredicate method(HttpMethod method) {
        return request -> method.name().equals(request.servletRequest().getMethod());
    }

    /** An {@code Accept} the controllers' {@code produces = application/json} matches: none, or one compatible. */
    private static RequestPredicate acceptsJson() {
        return request -> {
            try {
                List<MediaType> accepted = request.headers().accept();
                return accepted.isEmpty() || accepted.stream().anyMatch(MediaType.APPLICATION_JSON::isCompatibleWith);
            } catch (InvalidMediaTypeException e) {
                return false;
            }
        };
    }

    /** A body of the type the controllers' {@code consumes = application/json} takes, and not empty. */
    private static RequestPredicate sendsJson() {
        return request -> {
            String type = request.servletRequest().getContentType();
            if (type == null || request.servletRequest().getContentLengthLong() <= 0) {
                return false;
            }
            try {
                return MediaType.APPLICATION_JSON.includes(MediaType.parseMediaType(type));
            } catch (InvalidMediaTypeException e) {
                return false;
            }
        };
    }
}
