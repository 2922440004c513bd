package id.jembatan.connector.tax;

import id.jembatan.connector.AgencyRejectedException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.NotificationType;
import id.jembatan.schema.model.AddressChanged;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.CitizenSnapshot;
import id.jembatan.schema.model.DeathRegistered;
import id.jembatan.schema.model.DivorceRegistered;
import id.jembatan.schema.model.MarriageRegistered;
import id.jembatan.schema.model.NameChanged;
import id.jembatan.schema.tax.v1.Address;
import id.jembatan.schema.tax.v1.Deceased;
import id.jembatan.schema.tax.v1.MaritalStatus;
import id.jembatan.schema.tax.v1.MaritalStatusChange;
import id.jembatan.schema.tax.v1.Nationality;
import id.jembatan.schema.tax.v1.Sex;
import id.jembatan.schema.tax.v1.Taxpayer;
import id.jembatan.schema.tax.v1.TaxpayerAddressReport;
import id.jembatan.schema.tax.v1.TaxpayerChange;
import id.jembatan.schema.tax.v1.TaxpayerRegistration;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Canonical citizen events in, the tax office's v1 documents (JAXB objects of taxpayer.xsd) out. Pure: everything
 * it needs from the master index (numbers of dependants) is handed in, so it does no I/O, keeps no state and is
 * safe to share between threads.
 *
 * <p>The event may have been reduced by the access policy: every optional field may be null and is then left out
 * of the document. A field the event type cannot do without (the NIK, an AddressChanged's address, a death's date)
 * being absent makes the event untranslatable: {@link AgencyRejectedException} with
 * {@link ErrorCode#TRANSLATION_FAILED}.
 */
public final class TaxTranslator {

    /** The documents for {@code event} when no numbers of dependants are known. */
    public List<Object> translate(CitizenEvent event) {
        return translate(event, Map.of());
    }

    /**
     * The documents for {@code event}: first the one the event itself becomes (its MessageId is the event id), then
     * one {@code TaxpayerChange NumberOfDependants} per entry of {@code dependants} that the first document does not
     * already carry, in the map's iteration order.
     *
     * @param dependants the number of dependants (living children under 18) of each NIK whose count the tax office
     *                   should learn with this event, as the caller found it in the master index: for a birth the new
     *                   citizen's own count (it goes into the registration) and the parents' new counts (each
     *                   becomes a change with the MessageId {@link #dependantsMessageId})
     * @return {@link TaxpayerRegistration} and {@link TaxpayerChange} objects, ready for {@link TaxXml#marshal}
     */
    public List<Object> translate(CitizenEvent event, Map<String, Integer> dependants) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(dependants, "dependants");
        require(event.eventId() != null, event, "has no event id");
        require(event.occurredAt() != null, event, "has no occurredAt");
        require(!(event instanceof BirthRegistered birth && birth.citizen() == null), event, "has no citizen");
        require(!(event instanceof CitizenSnapshot snapshot && snapshot.citizen() == null), event, "has no citizen");
        require(event.subjectNik() != null, event, "has no NIK");

        List<Object> documents = new ArrayList<>(1 + dependants.size());
        documents.add(main(event, dependants));
        if (event instanceof CitizenSnapshot snapshot && snapshot.dateOfDeath() != null) {
            documents.add(snapshotDeath(snapshot));
        }
        boolean countInRegistration = event instanceof BirthRegistered || event instanceof CitizenSnapshot;
        dependants.forEach((nik, count) -> {
            Objects.requireNonNull(nik, "NIK in dependants");
            Objects.requireNonNull(count, "number of dependants");
            if (!(countInRegistration && nik.equals(event.subjectNik()))) {
                TaxpayerChange change = change(dependantsMessageId(event.eventId(), nik), event, nik);
                change.setNumberOfDependants(count);
                documents.add(change);
            }
        });
        return List.copyOf(documents);
    }

    /**
     * The MessageId of the NumberOfDependants change that {@code eventId} causes for {@code nik}: a name-based UUID,
     * so that a redelivery of the event repeats it and the tax office applies the change once.
     */
    public static String dependantsMessageId(UUID eventId, String nik) {
        return UUID.nameUUIDFromBytes(("dependants:" + eventId + ":" + nik).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static Object main(CitizenEvent event, Map<String, Integer> dependants) {
        if (event instanceof BirthRegistered birth) {
            return registration(birth, dependants.get(birth.subjectNik()));
        }
        if (event instanceof CitizenSnapshot snapshot) {
            return snapshot(snapshot, dependants.get(snapshot.subjectNik()));
        }
        if (event instanceof AddressChanged moved) {
            require(moved.address() != null, event, "has no address");
            TaxpayerChange change = change(event);
            change.setAddress(address(moved.address()));
            return change;
        }
        if (event instanceof NameChanged renamed) {
            require(renamed.fullName() != null, event, "has no fullName");
            TaxpayerChange change = change(event);
            change.setFullName(renamed.fullName());
            return change;
        }
        if (event instanceof MarriageRegistered marriage) {
            require(marriage.dateOfMarriage() != null, event, "has no dateOfMarriage");
            return maritalStatus(event, MaritalStatus.MARRIED, marriage.spouseNik(), marriage.dateOfMarriage());
        }
        if (event instanceof DivorceRegistered divorce) {
            require(divorce.dateOfDivorce() != null, event, "has no dateOfDivorce");
            return maritalStatus(event, MaritalStatus.DIVORCED, divorce.spouseNik(), divorce.dateOfDivorce());
        }
        if (event instanceof DeathRegistered death) {
            require(death.dateOfDeath() != null, event, "has no dateOfDeath");
            Deceased deceased = new Deceased();
            deceased.setDateOfDeath(TaxXml.date(death.dateOfDeath()));
            deceased.setPlaceOfDeath(death.placeOfDeath());
            TaxpayerChange change = change(event);
            change.setDeceased(deceased);
            return change;
        }
        // Unreachable while CitizenEvent permits only the types above; a new permitted type lands here until the
        // tax format has a place for it, and is then dead-lettered with this reason instead of being dropped.
        throw new AgencyRejectedException(ErrorCode.TRANSLATION_FAILED,
                "the tax format has no message for " + event.eventType().wireName(), null);
    }

    /**
     * A sync's snapshot: the taxpayer's whole registration (the tax office keeps the last registration of a NIK as
     * its record; its MessageId is the snapshot's event id).
     */
    private static TaxpayerRegistration snapshot(CitizenSnapshot snapshot, Integer ownDependants) {
        return registration(snapshot.eventId(), snapshot.occurredAt(), snapshot.citizen(), ownDependants);
    }

    /**
     * The death a snapshot of a deceased citizen carries, as the change a {@code DeathRegistered} would have sent,
     * after the registration (the registration has no place for it); MessageId {@link #deathMessageId}.
     */
    private static TaxpayerChange snapshotDeath(CitizenSnapshot snapshot) {
        Deceased deceased = new Deceased();
        deceased.setDateOfDeath(TaxXml.date(snapshot.dateOfDeath()));
        deceased.setPlaceOfDeath(snapshot.placeOfDeath());
        TaxpayerChange change = change(deathMessageId(snapshot.eventId()), snapshot, snapshot.subjectNik());
        change.setDeceased(deceased);
        return change;
    }

    /** The MessageId of the death change a snapshot brings: name-based, so a repeat of the snapshot repeats it. */
    public static String deathMessageId(UUID snapshotId) {
        return UUID.nameUUIDFromBytes(("death:" + snapshotId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static TaxpayerRegistration registration(BirthRegistered birth, Integer ownDependants) {
        return registration(birth.eventId(), birth.occurredAt(), birth.citizen(), ownDependants);
    }

    private static TaxpayerRegistration registration(UUID messageId, java.time.OffsetDateTime occurredAt,
                                                     Citizen citizen, Integer ownDependants) {
        Taxpayer taxpayer = new Taxpayer();
        taxpayer.setNik(citizen.nik());
        taxpayer.setFamilyCardNumber(citizen.familyCardNumber());
        taxpayer.setFullName(citizen.fullName());
        taxpayer.setBirthPlace(citizen.birthPlace());
        taxpayer.setBirthDate(TaxXml.date(citizen.birthDate()));
        taxpayer.setSex(citizen.sex() == null ? null : Sex.fromValue(citizen.sex().name()));
        taxpayer.setMaritalStatus(citizen.maritalStatus() == null
                ? null : MaritalStatus.fromValue(citizen.maritalStatus().name()));
        taxpayer.setNumberOfDependants(ownDependants);
        taxpayer.setOccupation(citizen.occupation());
        taxpayer.setNationality(citizen.nationality() == null
                ? null : Nationality.fromValue(citizen.nationality().name()));
        taxpayer.setAddress(citizen.address() == null ? null : address(citizen.address()));

        TaxpayerRegistration registration = new TaxpayerRegistration();
        registration.setMessageId(messageId.toString());
        registration.setOccurredAt(TaxXml.timestamp(occurredAt));
        registration.setTaxpayer(taxpayer);
        return registration;
    }

    private static TaxpayerChange maritalStatus(CitizenEvent event, MaritalStatus status, String spouseNik,
                                                LocalDate effective) {
        MaritalStatusChange maritalStatus = new MaritalStatusChange();
        maritalStatus.setStatus(status);
        maritalStatus.setSpouseNik(spouseNik);
        maritalStatus.setEffectiveDate(TaxXml.date(effective));
        TaxpayerChange change = change(event);
        change.setMaritalStatus(maritalStatus);
        return change;
    }

    private static TaxpayerChange change(CitizenEvent event) {
        return change(event.eventId().toString(), event, event.subjectNik());
    }

    private static TaxpayerChange change(String messageId, CitizenEvent event, String nik) {
        TaxpayerChange change = new TaxpayerChange();
        change.setMessageId(messageId);
        change.setOccurredAt(TaxXml.timestamp(event.occurredAt()));
        change.setNik(nik);
        return change;
    }

    /**
     * The tax office's report of an address it learned, into the bus's {@code AddressReported} notification as
     * canonical JSON, for the same checks as one sent as JSON: the ReportId is the notification id, the address is
     * carried over element by element (what the document leaves out stays out, for the schema to judge).
     */
    public ObjectNode fromAgency(TaxpayerAddressReport report) {
        ObjectNode notification = CanonicalJson.mapper().createObjectNode();
        notification.put("notificationId", report.getReportId());
        notification.put("type", NotificationType.ADDRESS_REPORTED.wireName());
        notification.put("nik", report.getNik());
        Address from = report.getAddress();
        ObjectNode address = notification.putObject("address");
        putIfPresent(address, "street", from.getStreet());
        putIfPresent(address, "rt", from.getRt());
        putIfPresent(address, "rw", from.getRw());
        putIfPresent(address, "villageCode", from.getVillageCode());
        putIfPresent(address, "village", from.getVillage());
        putIfPresent(address, "districtCode", from.getDistrictCode());
        putIfPresent(address, "district", from.getDistrict());
        putIfPresent(address, "regencyCode", from.getRegencyCode());
        putIfPresent(address, "regency", from.getRegency());
        putIfPresent(address, "provinceCode", from.getProvinceCode());
        putIfPresent(address, "province", from.getProvince());
        putIfPresent(address, "postalCode", from.getPostalCode());
        notification.put("reportedAt", report.getReportedAt().toXMLFormat());
        putIfPresent(notification, "reference", report.getReference());
        return notification;
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private static Address address(id.jembatan.schema.model.Address from) {
        Address to = new Address();
        to.setStreet(from.street());
        to.setRt(from.rt());
        to.setRw(from.rw());
        to.setVillageCode(from.villageCode());
        to.setVillage(from.village());
        to.setDistrictCode(from.districtCode());
        to.setDistrict(from.district());
        to.setRegencyCode(from.regencyCode());
        to.setRegency(from.regency());
        to.setProvinceCode(from.provinceCode());
        to.setProvince(from.province());
        to.setPostalCode(from.postalCode());
        return to;
    }

    private static void require(boolean present, CitizenEvent event, String problem) {
        if (!present) {
            throw new AgencyRejectedException(ErrorCode.TRANSLATION_FAILED,
                    event.eventType().wireName() + " " + event.eventId() + " " + problem
                            + ": the tax office cannot be told", null);
        }
    }
}
