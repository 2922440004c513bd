package id.jembatan.it;

import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.connector.tax.TaxXml;
import id.jembatan.sandbox.civilregistry.ReceivedNotification;
import id.jembatan.schema.model.AddressReported;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.tax.v1.Address;
import id.jembatan.schema.tax.v1.TaxpayerAddressReport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tax office reports an address it learned in its own XML ({@code TaxpayerAddressReport}, taxpayer.xsd 1.2) to
 * {@code POST /api/v1/notifications}: the bus validates it against the XSD, translates it to {@code AddressReported}
 * and takes it as it takes the JSON notification, with the same checks, audit and answer.
 */
class TaxAddressReportIT extends BusTestSupport {

    private static final String NOTIFICATIONS = "/api/v1/notifications";

    @Autowired
    private JdbcClient jdbc;

    /** A report of a new address (a real place other than the citizen's) as the tax office writes it. */
    private TaxpayerAddressReport report(Citizen citizen) {
        id.jembatan.schema.model.Address moved = citizens.otherAddress(citizen.address());
        Address address = new Address();
        address.setStreet(moved.street());
        address.setRt(moved.rt());
        address.setRw(moved.rw());
        address.setVillageCode(moved.villageCode());
        address.setVillage(moved.village());
        address.setDistrictCode(moved.districtCode());
        address.setRegencyCode(moved.regencyCode());
        address.setProvinceCode(moved.provinceCode());
        address.setPostalCode(moved.postalCode());
        TaxpayerAddressReport report = new TaxpayerAddressReport();
        report.setReportId(UUID.randomUUID().toString());
        report.setReportedAt(TaxXml.timestamp(OffsetDateTime.now(ZoneOffset.ofHours(7)).truncatedTo(ChronoUnit.SECONDS)));
        report.setNik(citizen.nik());
        report.setAddress(address);
        report.setReference("SPT-" + citizen.nik().substring(10));
        return report;
    }

    private HttpResponse<String> postXml(String key, String xml) {
        return send(request(NOTIFICATIONS, key).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8)));
    }

    private static String xml(TaxpayerAddressReport report) {
        return new String(TaxXml.marshal(report), StandardCharsets.UTF_8);
    }

    /**
     * The tax office reports the new address of a registered citizen in XML. Result: 202 {@code {"notificationId":
     * <ReportId>, "status": "ACCEPTED"}} as for JSON; the civil registry's inbox receives an AddressReported from
     * tax with the address and the reference; the audit chain has a NOTIFICATION entry ROUTED with the field
     * address; the master record keeps its address until the registry's own AddressChanged.
     */
    @Test
    void anAddressReportedInXmlReachesTheCivilRegistry() {
        Citizen citizen = registerCitizen();
        TaxpayerAddressReport report = report(citizen);

        HttpResponse<String> accepted = postXml(TAX_KEY, xml(report));

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode answer = read(accepted);
        assertThat(answer.path("notificationId").asText()).isEqualTo(report.getReportId());
        assertThat(answer.path("status").asText()).isEqualTo("ACCEPTED");
        UUID id = UUID.fromString(report.getReportId());
        await().atMost(DEFAULT_WAIT).until(() -> !receivedByCivilRegistry(id).isEmpty());
        ReceivedNotification received = receivedByCivilRegistry(id).get(0);
        assertThat(received.reportedBy()).isEqualTo("tax");
        AddressReported reported = (AddressReported) received.notification();
        assertThat(reported.nik()).isEqualTo(citizen.nik());
        assertThat(reported.address().villageCode()).isEqualTo(report.getAddress().getVillageCode());
        assertThat(reported.address().street()).isEqualTo(report.getAddress().getStreet());
        assertThat(reported.reference()).isEqualTo(report.getReference());
        assertThat(jdbc.sql("SELECT fields || ' ' || outcome FROM audit_entry WHERE nik = ?"
                        + " AND action = 'NOTIFICATION'").param(citizen.nik()).query(String.class).list())
                .containsExactly("address,nik ROUTED");
        JsonNode record = read(get("/api/v1/citizens/" + citizen.nik() + "?purpose=TAXPAYER_REGISTRATION", TAX_KEY));
        assertThat(record.path("address").path("villageCode").asText()).isEqualTo(citizen.address().villageCode());
    }

    /**
     * What the bus refuses in XML: a document that is not valid against the XSD (no Address), one with a DOCTYPE (an
     * entity that would read a file), a region code that does not exist, and a report from health, which the policy
     * does not let report addresses. Result: problem+json 400 SCHEMA_VIOLATION, 400 SCHEMA_VIOLATION,
     * 400 ADDRESS_UNKNOWN_REGION_CODE at /address/villageCode, 403 POLICY_DENIED; nothing reaches the registry.
     */
    @Test
    void aBadReportIsRefusedWithAClearError() {
        Citizen citizen = registerCitizen();
        TaxpayerAddressReport valid = report(citizen);
        String document = xml(valid);

        String withoutAddress = document.replaceAll("(?s)<Address>.*</Address>", "");
        assertProblem(postXml(TAX_KEY, withoutAddress), 400, "SCHEMA_VIOLATION");
        String withEntity = document.replaceFirst("\\?>", "?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>")
                .replace("<Reference>" + valid.getReference(), "<Reference>&x;");
        JsonNode entity = assertProblem(postXml(TAX_KEY, withEntity), 400, "SCHEMA_VIOLATION");
        assertThat(entity.toString()).doesNotContain("root:");

        TaxpayerAddressReport unknownVillage = report(citizen);
        unknownVillage.getAddress().setVillageCode(unknownVillage.getAddress().getDistrictCode() + "9999");
        assertFieldProblem(postXml(TAX_KEY, xml(unknownVillage)), 400, "ADDRESS_UNKNOWN_REGION_CODE",
                "/address/villageCode");

        assertProblem(postXml(HEALTH_KEY, xml(report(citizen))), 403, "POLICY_DENIED");
        assertThat(civilRegistryInbox.notifications()).noneMatch(n -> n.notification().subjectNik().equals(citizen.nik()));
    }
}
