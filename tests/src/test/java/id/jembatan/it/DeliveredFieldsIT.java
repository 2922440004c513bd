package id.jembatan.it;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.connector.licensing.LicenceUpdate;
import id.jembatan.connector.tax.TaxXml;
import id.jembatan.policy.AccessPolicy;
import id.jembatan.sandbox.health.HealthSandbox;
import id.jembatan.sandbox.licensing.LicensingSandbox;
import id.jembatan.sandbox.tax.TaxSandbox;
import id.jembatan.sandbox.webhook.ReceivedWebhook;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.model.EventType;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.assertj.core.api.SoftAssertions;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * The access policy against what each agency is actually given. One citizen lives a whole life (birth, a move, a
 * new name, a marriage, a divorce, a death); every agency receives the event types it subscribes to, each in its own
 * format: the tax office's XML, the health FHIR Patient, the licensing CSV row, the bansos webhook's JSON, and the
 * canonical JSON on the queue of a {@code jms} agency (a pension fund this test adds, receiving a subset of fields).
 * The table is every agency x event type x field of the canonical model.
 *
 * <p>Result: no agency is given a field its policy's {@code receive} list withholds, in any event, in any format
 * (the NIK, which identifies the citizen, always goes); every field it receives that the event carries and its
 * format can express is there with the event's value (for the health agency, in the Patient it holds at the end); a
 * withheld birth place or place of death appears nowhere in what the agency holds.
 */
class DeliveredFieldsIT extends BusTestSupport {

    private static final String PENSIONS = "pensions";
    private static final String PENSIONS_KEY = "it-pensions-key";
    /** The canonical event's own keys, which are not fields of the citizen. */
    private static final Set<String> ENVELOPE = Set.of("eventId", "type", "occurredAt", "nik");

    /** What each format can express, by event type: a field it has no place for is not checked as delivered. */
    private static final Map<EventType, Set<String>> TAX_CARRIES = new EnumMap<>(Map.of(
            EventType.BIRTH_REGISTERED, Set.of("familyCardNumber", "fullName", "birthPlace", "birthDate", "sex",
                    "maritalStatus", "occupation", "nationality", "address"),
            EventType.ADDRESS_CHANGED, Set.of("address"),
            EventType.NAME_CHANGED, Set.of("fullName"),
            EventType.MARRIAGE_REGISTERED, Set.of("spouseNik", "dateOfMarriage"),
            EventType.DIVORCE_REGISTERED, Set.of("spouseNik", "dateOfDivorce"),
            EventType.DEATH_REGISTERED, Set.of("dateOfDeath", "placeOfDeath")));
    private static final Set<String> LICENSING_CARRIES = Set.of("fullName", "birthDate", "address", "dateOfDeath");

    @DynamicPropertySource
    static void pensionFund(DynamicPropertyRegistry registry) {
        registry.add("jembatan.agencies.pensions.connector", () -> "jms");
        registry.add("jembatan.agencies.pensions.subscribes", () -> "BirthRegistered,AddressChanged,NameChanged,"
                + "MarriageRegistered,DivorceRegistered,DeathRegistered");
        // printf %s it-pensions-key | sha256sum
        registry.add("jembatan.agencies.pensions.api-keys",
                () -> "0b0db70dde672cdf27c2ee5d6aa62b9e94975bd89eea350bfbb2c02eefa1abb8");
        registry.add("jembatan.access-policy.agencies.pensions.receive",
                () -> "fullName,birthDate,sex,address,dateOfMarriage,dateOfDivorce,dateOfDeath");
    }

    @Autowired
    AccessPolicy policy;

    @Autowired
    TaxSandbox tax;

    @Autowired
    HealthSandbox health;

    @Autowired
    LicensingSandbox licensing;

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Test
    void everyAgencyIsGivenExactlyTheFieldsItsPolicyAllows() throws Exception {
        BirthRegistered spouse = fixtures.birth();
        publish(spouse);
        Citizen born = fixtures.citizen();
        String birthPlace = "Desa " + letters(8);
        String placeOfDeath = "RSUD " + letters(8);
        Citizen citizen = new Citizen(born.nik(), born.familyCardNumber(), born.fullName(), birthPlace,
                born.birthDate(), born.sex(), born.religion(), born.maritalStatus(), born.occupation(),
                born.nationality(), born.motherNik(), born.fatherNik(), born.address());
        String nik = citizen.nik();
        var moved = fixtures.addressChange(nik, fixtures.otherAddress(citizen.address()));
        List<CitizenEvent> life = List.of(fixtures.birth(citizen), moved,
                fixtures.nameChange(nik, citizen.fullName().split(" ")[0] + " Siregar"),
                fixtures.marriage(nik, spouse.citizen().nik(), CitizenFixtures.today().minusDays(40)),
                fixtures.divorce(nik, spouse.citizen().nik(), CitizenFixtures.today().minusDays(5)),
                withPlace(fixtures.death(nik, CitizenFixtures.today().minusDays(1)), placeOfDeath));
        try (Connection connection = brokerClient(PENSIONS, PENSIONS_KEY).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer pensions = session.createConsumer(session.createQueue("agency.pensions.events"));
            life.forEach(this::publish);

            Map<String, Map<String, String>> pensionMessages = receiveAll(pensions, life);
            awaitDeliveries(life);
            SoftAssertions softly = new SoftAssertions();
            for (CitizenEvent event : life) {
                Map<String, String> canonical = canonicalFields(CanonicalJson.write(event));
                String id = event.eventId().toString();
                EventType type = event.eventType();
                check(softly, "tax", event, canonical, taxFields(id, type), TAX_CARRIES.get(type));
                check(softly, PENSIONS, event, canonical, pensionMessages.get(id), canonical.keySet());
                if (Set.of(EventType.BIRTH_REGISTERED, EventType.ADDRESS_CHANGED, EventType.NAME_CHANGED,
                        EventType.DEATH_REGISTERED).contains(type)) {
                    check(softly, "licensing", event, canonical, licensingFields(id, canonical),
                            LICENSING_CARRIES);
                }
                if (Set.of(EventType.BIRTH_REGISTERED, EventType.ADDRESS_CHANGED, EventType.DEATH_REGISTERED)
                        .contains(type)) {
                    check(softly, "bansos", event, canonical, webhookFields(id), canonical.keySet());
                }
            }
            checkPatient(softly, life, placeOfDeath);
            softly.assertAll();
        }
    }

    /**
     * One agency's delivery of one event against its policy: nothing withheld, everything received that the event
     * and the format carry, with the event's value (a null delivered value: present, its rendering not compared).
     */
    private void check(SoftAssertions softly, String agency, CitizenEvent event, Map<String, String> canonical,
                       Map<String, String> delivered, Set<String> formatCarries) {
        String what = agency + " given " + event.eventType().wireName();
        Set<String> receives = policy.receivable(agency);
        softly.assertThat(delivered).as(what).isNotNull();
        if (delivered == null) {
            return;
        }
        softly.assertThat(new TreeSet<>(delivered.keySet())).as(what + ": no withheld field")
                .allMatch(field -> field.equals("nik") || receives.contains(field));
        for (String field : canonical.keySet()) {
            if (receives.contains(field) && formatCarries.contains(field)) {
                softly.assertThat(delivered).as(what + ": " + field).containsKey(field);
                String value = delivered.get(field);
                if (value != null && value.startsWith("{")) {
                    softly.assertThat(read(value)).as(what + ": " + field).isEqualTo(read(canonical.get(field)));
                } else if (value != null) {
                    softly.assertThat(value).as(what + ": " + field).isEqualTo(canonical.get(field));
                }
            }
        }
    }

    /** The health agency's Patient at the end of the life, against the policy and the last state of each field. */
    private void checkPatient(SoftAssertions softly, List<CitizenEvent> life, String placeOfDeath) {
        BirthRegistered birth = (BirthRegistered) life.get(0);
        Patient patient = health.patientByNik(birth.citizen().nik()).orElseThrow();
        Map<String, String> delivered = new LinkedHashMap<>();
        if (patient.hasName()) {
            delivered.put("fullName", patient.getNameFirstRep().getText());
        }
        if (patient.hasBirthDate()) {
            delivered.put("birthDate", new java.text.SimpleDateFormat("yyyy-MM-dd").format(patient.getBirthDate()));
        }
        if (patient.hasGender()) {
            delivered.put("sex", null);
        }
        if (patient.hasMaritalStatus()) {
            delivered.put("maritalStatus", null);
        }
        if (patient.hasAddress()) {
            delivered.put("address", null);
        }
        if (patient.hasDeceasedDateTimeType()) {
            delivered.put("dateOfDeath", patient.getDeceasedDateTimeType().getValueAsString().substring(0, 10));
        }
        for (Identifier identifier : patient.getIdentifier()) {
            if (HealthFhir.FAMILY_CARD_SYSTEM.equals(identifier.getSystem())) {
                delivered.put("familyCardNumber", identifier.getValue());
            } else if (HealthFhir.MOTHER_NIK_SYSTEM.equals(identifier.getSystem())) {
                delivered.put("motherNik", identifier.getValue());
            }
        }
        if (patient.getExtensionByUrl(HealthFhir.BIRTH_PLACE_URL) != null) {
            delivered.put("birthPlace", null);
        }
        if (patient.getExtensionByUrl(HealthFhir.CITIZENSHIP_STATUS_URL) != null) {
            delivered.put("nationality", null);
        }
        Set<String> receives = policy.receivable("health");
        softly.assertThat(new TreeSet<>(delivered.keySet())).as("health's Patient: no withheld field")
                .allMatch(receives::contains);
        String last = ((id.jembatan.schema.model.NameChanged) life.get(2)).fullName();
        softly.assertThat(delivered).as("health's Patient").containsEntry("fullName", last)
                .containsEntry("birthDate", birth.citizen().birthDate().toString())
                .containsEntry("dateOfDeath", CitizenFixtures.today().minusDays(1).toString())
                .containsKeys("sex", "maritalStatus", "address");
        String encoded = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(patient);
        softly.assertThat(encoded).as("health's Patient: the withheld birth place and place of death")
                .doesNotContain(birth.citizen().birthPlace()).doesNotContain(placeOfDeath);
        softly.assertThat(patient.getMeta().getTag().stream()
                        .filter(t -> HealthFhir.EVENT_ID_TAG_SYSTEM.equals(t.getSystem())).map(Coding::getCode))
                .as("health applied every event").containsExactlyElementsOf(
                        life.stream().map(e -> e.eventId().toString()).toList());
    }

    /** The fields of the tax document of this event (its message id is the event id), from its XML. */
    private Map<String, String> taxFields(String eventId, EventType type) throws Exception {
        Object document = tax.received().stream().filter(d -> eventId.equals(TaxXml.messageId(d))).findFirst()
                .orElse(null);
        if (document == null) {
            return null;
        }
        DocumentBuilderFactory parsers = DocumentBuilderFactory.newDefaultInstance();
        parsers.setNamespaceAware(true);
        Element root = parsers.newDocumentBuilder().parse(new ByteArrayInputStream(TaxXml.marshal(document)))
                .getDocumentElement();
        Map<String, String> fields = new LinkedHashMap<>();
        Element container = type == EventType.BIRTH_REGISTERED ? child(root, "Taxpayer") : root;
        for (Element element : children(container)) {
            switch (element.getLocalName()) {
                case "FamilyCardNumber", "FullName", "BirthPlace", "BirthDate", "Occupation" ->
                        fields.put(camel(element.getLocalName()), element.getTextContent());
                case "Sex", "Nationality" -> fields.put(camel(element.getLocalName()), null);
                case "MaritalStatus" -> {
                    if (type == EventType.BIRTH_REGISTERED) {
                        fields.put("maritalStatus", null);
                    } else {
                        Optional.ofNullable(child(element, "SpouseNik"))
                                .ifPresent(e -> fields.put("spouseNik", e.getTextContent()));
                        fields.put(type == EventType.MARRIAGE_REGISTERED ? "dateOfMarriage" : "dateOfDivorce",
                                child(element, "EffectiveDate").getTextContent());
                    }
                }
                case "Deceased" -> {
                    fields.put("dateOfDeath", child(element, "DateOfDeath").getTextContent());
                    Optional.ofNullable(child(element, "PlaceOfDeath"))
                            .ifPresent(e -> fields.put("placeOfDeath", e.getTextContent()));
                }
                case "Address" -> fields.put("address", null);
                default -> {
                    // MessageId, OccurredAt, Nik: the envelope; NumberOfDependants: the tax office's own figure
                }
            }
        }
        return fields;
    }

    /** The licensing office's row for this event, as the canonical fields it holds. */
    private Map<String, String> licensingFields(String eventId, Map<String, String> canonical) {
        Optional<LicenceUpdate> row = licensing.received().stream()
                .filter(u -> eventId.equals(u.eventId().toString())).findFirst();
        if (row.isEmpty()) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        LicenceUpdate update = row.get();
        if (update.fullName() != null) {
            fields.put("fullName", update.fullName());
        }
        if (update.birthDate() != null) {
            fields.put("birthDate", update.birthDate().toString());
        }
        if (update.address() != null) {
            fields.put("address", CanonicalJson.mapper().valueToTree(update.address()).toString());
        }
        if (update.dateOfDeath() != null) {
            fields.put("dateOfDeath", update.dateOfDeath().toString());
        }
        return fields;
    }

    private Map<String, String> webhookFields(String eventId) {
        return webhooksReceived("bansos").stream().filter(w -> eventId.equals(w.eventId())).findFirst()
                .map(ReceivedWebhook::bodyText).map(DeliveredFieldsIT::canonicalFields).orElse(null);
    }

    /** Every message of the life on the pension fund's queue, by event id, as the canonical fields it carries. */
    private static Map<String, Map<String, String>> receiveAll(MessageConsumer consumer, List<CitizenEvent> life)
            throws Exception {
        Set<String> ours = life.stream().map(e -> e.eventId().toString()).collect(Collectors.toSet());
        Map<String, Map<String, String>> received = new LinkedHashMap<>();
        while (received.size() < life.size()) {
            Message message = consumer.receive(DEFAULT_WAIT.toMillis());
            if (message == null) {
                break;
            }
            String id = message.getStringProperty("JembatanEventId");
            if (ours.contains(id)) {
                received.put(id, canonicalFields(((TextMessage) message).getText()));
            }
        }
        return received;
    }

    private void awaitDeliveries(List<CitizenEvent> life) {
        Set<String> all = life.stream().map(e -> e.eventId().toString()).collect(Collectors.toSet());
        await("the life delivered to tax, health, licensing and bansos").atMost(Duration.ofSeconds(60))
                .until(() -> tax.received().stream().map(TaxXml::messageId).filter(all::contains).distinct()
                        .count() == life.size()
                        && health.patientByNik(life.get(0).subjectNik()).map(p -> p.getMeta().getTag().stream()
                        .filter(t -> HealthFhir.EVENT_ID_TAG_SYSTEM.equals(t.getSystem())).count()).orElse(0L)
                        == life.size()
                        && licensing.received().stream().map(u -> u.eventId().toString()).filter(all::contains)
                        .distinct().count() == 4
                        && webhooksReceived("bansos").stream().map(ReceivedWebhook::eventId).filter(all::contains)
                        .distinct().count() == 3);
    }

    /**
     * The citizen's fields in canonical JSON: a birth's {@code citizen} object, another event's own members; an
     * object (an address) as its JSON text.
     */
    private static Map<String, String> canonicalFields(String json) {
        JsonNode event = read(json);
        JsonNode fields = event.has("citizen") ? event.get("citizen") : event;
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<String> names = fields.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!ENVELOPE.contains(name)) {
                JsonNode value = fields.get(name);
                values.put(name, value.isContainerNode() ? value.toString() : value.asText());
            }
        }
        return values;
    }

    private static DeathRegistered withPlace(DeathRegistered death, String placeOfDeath) {
        return new DeathRegistered(death.eventId(), death.occurredAt(), death.nik(), death.dateOfDeath(), placeOfDeath);
    }

    private static JsonNode read(String json) {
        try {
            return CanonicalJson.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Element child(Element parent, String localName) {
        return children(parent).stream().filter(e -> localName.equals(e.getLocalName())).findFirst().orElse(null);
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new java.util.ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                elements.add(e);
            }
        }
        return elements;
    }

    private static String camel(String elementName) {
        return Character.toLowerCase(elementName.charAt(0)) + elementName.substring(1);
    }

    private static String letters(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
