package id.jembatan.schema.validation;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.schema.error.JembatanException;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.rules.RegionCodes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

class ScratchTest {
    @Test
    void scratch() {
        long t0 = System.nanoTime();
        RegionCodes codes = RegionCodes.official();
        long t1 = System.nanoTime();
        EventValidator v = new EventValidator(codes, Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));
        long t2 = System.nanoTime();
        System.out.println("codes ms " + (t1 - t0) / 1e6 + " validator ms " + (t2 - t1) / 1e6 + " size " + codes.size());
        String[] bodies = {
            "{\"eventId\": \"0f8fad5b-d9cb-469f-a165-70867728950e\", \"type\": \"BirthRegistered\", \"occurredAt\": \"2026-11-20T08:15:00+07:00\", \"citizen\": {\"nik\": \"3171014508990001\", \"familyCardNumber\": \"3171010101090001\", \"fullName\": \"Siti Rahmawati\", \"birthPlace\": \"Jakarta\", \"birthDate\": \"1999-08-05\", \"sex\": \"FEMALE\", \"religion\": \"ISLAM\", \"maritalStatus\": \"SINGLE\", \"occupation\": \"PELAJAR\", \"nationality\": \"WNI\", \"motherNik\": \"3171014203750002\", \"fatherNik\": \"3171011506720003\", \"address\": {\"street\": \"Jl. Merdeka No. 1\", \"rt\": \"001\", \"rw\": \"002\", \"villageCode\": \"3171011001\", \"village\": \"Gambir\", \"districtCode\": \"317101\", \"district\": \"Gambir\", \"regencyCode\": \"3171\", \"regency\": \"Kota Administrasi Jakarta Pusat\", \"provinceCode\": \"31\", \"province\": \"DKI Jakarta\", \"postalCode\": \"10110\"}}}",
            "{\"eventId\": \"not-a-uuid\", \"type\": \"BirthRegistered\", \"occurredAt\": \"2026-11-20T08:15:00\", \"extra\": 1, \"citizen\": {\"nik\": \"317101450899000\", \"familyCardNumber\": 5, \"fullName\": \"1234\", \"birthPlace\": \"\", \"birthDate\": \"1999-02-30\", \"sex\": \"F\", \"religion\": \"ISLAM\", \"maritalStatus\": \"SINGLE\", \"occupation\": null, \"nationality\": \"WNI\", \"motherNik\": null, \"address\": {\"street\": \"Jl. Merdeka No. 1\", \"rt\": \"1\", \"rw\": \"002\", \"villageCode\": \"3171011001\", \"districtCode\": \"317101\", \"regencyCode\": \"3171\", \"province\": \"DKI Jakarta\", \"postalCode\": \"10110\", \"a/b~c\": 1}}}",
            "{\"eventId\": \"0f8fad5b-d9cb-469f-a165-70867728950e\", \"type\": \"DeathRegistered\", \"occurredAt\": \"2026-11-20t08:15:00Z\", \"nik\": \"3171014508990001\", \"dateOfDeath\": \"2023-02-29\", \"placeOfDeath\": \"a\\nb\"}",
            "{\"eventId\": \"0f8fad5b-d9cb-469f-a165-70867728950e\", \"type\": \"DeathRegistered\", \"occurredAt\": \"2026-11-20T08:15:00Z\", \"nik\": \"3171014508990001\", \"dateOfDeath\": \"2024-02-29\"}",
            "{\"eventId\": \"0F8FAD5B-D9CB-469F-A165-70867728950E\", \"type\": \"NameChanged\", \"occurredAt\": \"2026-11-20T08:15:00.123456789+07:00\", \"nik\": \"3171014508990001\", \"fullName\": \"Siti\"}",
            "{\"eventId\": \"0f8fad5b-d9cb-469f-a165-70867728950e\", \"type\": \"NameChanged\", \"occurredAt\": \"2026-11-20T08:15:60+07:00\", \"nik\": \"3171014508990001\", \"fullName\": \"Siti\"}",
            "{\"eventId\": \"0f8fad5b-d9cb-469f-a165-70867728950e\", \"type\": \"NameChanged\", \"occurredAt\": \"2026-11-20T23:59:60Z\", \"nik\": \"3171014508990001\", \"fullName\": \"Siti\"}",
            "{\"eventId\": \"0f8fad5b-d9cb-469f-a165-70867728950e\", \"type\": \"DeathRegistered\", \"occurredAt\": \"2026-11-20T08:15:00Z\", \"nik\": \"3171014508990001\", \"dateOfDeath\": \"99999-02-29\"}",
        };
        com.networknt.schema.SchemaRegistry reg = com.networknt.schema.SchemaRegistry.withDialect(com.networknt.schema.dialect.Dialects.getDraft202012(), bb -> bb.schemaRegistryConfig(com.networknt.schema.SchemaRegistryConfig.builder().formatAssertionsEnabled(true).pathType(com.networknt.schema.path.PathType.JSON_POINTER).build()).schemaLoader(l -> l.schemaIdResolvers(r -> r.mapPrefix("https://jembatan.id/schemas/", "classpath:schemas/"))));
        var sch = reg.getSchema(com.networknt.schema.SchemaLocation.of("https://jembatan.id/schemas/v1/events/birth-registered.schema.json"));
        for (var e : sch.validate(CanonicalJson.readBody(bodies[1].getBytes(StandardCharsets.UTF_8)))) {
            System.out.println(e.getKeyword() + " | " + e.getInstanceLocation() + " | " + e.getProperty() + " | " + java.util.Arrays.toString(e.getArguments()) + " | " + e.getSchemaNode() + " | " + e.getMessageKey() + " | " + e.getDetails() + " | " + e.getEvaluationPath() + " | " + e.getSchemaLocation() + " | " + e.getInstanceLocation().getNameCount());
        }
        for (String b : bodies) {
            JsonNode node = CanonicalJson.readBody(b.getBytes(StandardCharsets.UTF_8));
            try {
                System.out.println("OK " + v.validate(node));
            } catch (JembatanException e) {
                System.out.println("ERR " + e.code() + " " + e.getMessage());
                e.errors().forEach(fe -> System.out.println("   " + fe));
            }
        }
        long t3 = System.nanoTime();
        for (int i = 0; i < 10000; i++) {
            try { v.validate(CanonicalJson.readBody(bodies[0].getBytes(StandardCharsets.UTF_8))); } catch (JembatanException e) { }
        }
        System.out.println("10000 validations ms " + (System.nanoTime() - t3) / 1e6);
    }
}
