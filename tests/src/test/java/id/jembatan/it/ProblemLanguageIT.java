package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.Sex;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * problem+json answers in the caller's language ({@code Accept-Language}: {@code id} or {@code en}) against the
 * running bus, on refusals made at each place the bus refuses: the authentication filter, the data rules of ingest,
 * a lookup, and Spring MVC's own rejections. The code, status, type and pointers are the same in every language.
 */
class ProblemLanguageIT extends BusTestSupport {

    private HttpResponse<String> send(HttpRequest.Builder builder, String acceptLanguage) {
        if (acceptLanguage != null) {
            builder.header("Accept-Language", acceptLanguage);
        }
        return send(builder);
    }

    private static void assertLanguage(HttpResponse<String> response, String language) {
        assertThat(response.headers().firstValue("Content-Language")).as(response.body()).hasValue(language);
    }

    /**
     * A request without an API key asks for Indonesian. Result: 401 {@code AGENCY_UNAUTHENTICATED} with the
     * Indonesian title and detail and {@code Content-Language: id}.
     */
    @Test
    void anUnauthenticatedCallerIsAnsweredInIndonesian() {
        HttpResponse<String> response = send(request("/api/v1/citizens/3171014508990001?purpose=TAXPAYER_REGISTRATION",
                null).GET(), "id");

        JsonNode problem = assertProblem(response, 401, "AGENCY_UNAUTHENTICATED");
        assertThat(problem.path("title").asText()).isEqualTo("Kunci API tidak ada atau tidak dikenal");
        assertThat(problem.path("detail").asText()).isEqualTo("Kirim kunci API instansi dalam header X-API-Key");
        assertLanguage(response, "id");
    }

    /**
     * The civil registry sends a birth whose NIK encodes 30 February, once asking for Indonesian ({@code id-ID,
     * en;q=0.5}), once with no preference. Result: both 400 {@code NIK_INVALID_DATE} with the pointer
     * {@code /citizen/nik}; the first with the Indonesian title, detail and field message, the second in English.
     */
    @Test
    void aRuleRefusalIsInTheLanguageAskedForWithTheSameCodeAndPointer() throws Exception {
        Citizen woman = citizens.citizen(Sex.FEMALE, LocalDate.of(1990, 3, 14));
        ObjectNode birth = (ObjectNode) JSON.readTree(json(citizens.birth(woman)));
        ((ObjectNode) birth.get("citizen")).put("nik",
                woman.nik().substring(0, 6) + "300290" + woman.nik().substring(12));

        HttpResponse<String> indonesian = send(request("/api/v1/events", CIVIL_REGISTRY_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(birth.toString(), StandardCharsets.UTF_8)), "id-ID, en;q=0.5");
        HttpResponse<String> english = postJson("/api/v1/events", CIVIL_REGISTRY_KEY, birth.toString());

        JsonNode id = assertFieldProblem(indonesian, 400, "NIK_INVALID_DATE", "/citizen/nik");
        JsonNode en = assertFieldProblem(english, 400, "NIK_INVALID_DATE", "/citizen/nik");
        assertThat(id.path("title").asText()).isEqualTo("NIK tidak memuat tanggal lahir yang sah");
        assertThat(id.path("errors").get(0).path("message").asText()).startsWith("Digit 7 sampai 12 NIK");
        assertThat(id.path("type")).isEqualTo(en.path("type"));
        assertThat(en.path("title").asText()).isEqualTo(ErrorCode.NIK_INVALID_DATE.title());
        assertLanguage(indonesian, "id");
        assertLanguage(english, "en");
    }

    /**
     * The tax office looks up a NIK nobody registered, preferring English over Indonesian by weight, then asking for
     * French only. Result: 404 {@code CITIZEN_NOT_FOUND} in English both times (French is not offered).
     */
    @Test
    void weightsDecideAndAnUnofferedLanguageGetsEnglish() {
        String path = "/api/v1/citizens/" + citizens.citizen().nik() + "?purpose=TAXPAYER_REGISTRATION";

        for (String acceptLanguage : new String[] {"id;q=0.3, en;q=0.9", "fr-FR"}) {
            HttpResponse<String> response = send(request(path, TAX_KEY).GET(), acceptLanguage);
            JsonNode problem = assertProblem(response, 404, "CITIZEN_NOT_FOUND");
            assertThat(problem.path("title").asText()).isEqualTo(ErrorCode.CITIZEN_NOT_FOUND.title());
            assertLanguage(response, "en");
        }
    }

    /**
     * A method Spring MVC refuses (DELETE on the events resource) and a lookup without its purpose, asking for
     * Indonesian. Result: 405 {@code METHOD_NOT_ALLOWED} and 400 {@code PURPOSE_REQUIRED}, both in Indonesian.
     */
    @Test
    void springsOwnRejectionsAreInIndonesianToo() {
        HttpResponse<String> method = send(request("/api/v1/events", CIVIL_REGISTRY_KEY).DELETE(), "id");
        HttpResponse<String> purpose = send(request("/api/v1/citizens/" + citizens.citizen().nik(), TAX_KEY).GET(),
                "id");

        assertThat(assertProblem(method, 405, "METHOD_NOT_ALLOWED").path("title").asText())
                .isEqualTo("Metode tidak diizinkan pada sumber daya ini");
        assertThat(assertProblem(purpose, 400, "PURPOSE_REQUIRED").path("title").asText())
                .isEqualTo("Pencarian harus menyatakan tujuannya");
        assertLanguage(method, "id");
        assertLanguage(purpose, "id");
    }
}
