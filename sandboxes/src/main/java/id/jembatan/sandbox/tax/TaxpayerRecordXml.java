package id.jembatan.sandbox.tax;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** The tax sandbox's record of a taxpayer as a small XML document for people looking with curl. */
final class TaxpayerRecordXml {

    private TaxpayerRecordXml() {
    }

    /** The record as a small XML document for people looking with curl; a demo view, not part of the v1 format. */
    static byte[] write(TaxpayerRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            XMLStreamWriter xml = XMLOutputFactory.newDefaultFactory()
                    .createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
            xml.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("TaxpayerRecord");
            element(xml, 1, "Nik", record.nik());
            element(xml, 1, "Registered", record.registered());
            element(xml, 1, "FamilyCardNumber", record.familyCardNumber());
            element(xml, 1, "FullName", record.fullName());
            element(xml, 1, "BirthPlace", record.birthPlace());
            element(xml, 1, "BirthDate", record.birthDate());
            element(xml, 1, "Sex", record.sex());
            element(xml, 1, "MaritalStatus", record.maritalStatus());
            element(xml, 1, "SpouseNik", record.spouseNik());
            element(xml, 1, "MaritalStatusSince", record.maritalStatusSince());
            element(xml, 1, "NumberOfDependants", record.numberOfDependants());
            element(xml, 1, "Occupation", record.occupation());
            element(xml, 1, "Nationality", record.nationality());
            id.jembatan.schema.model.Address address = record.address();
            if (address != null) {
                xml.writeCharacters("\n  ");
                xml.writeStartElement("Address");
                element(xml, 2, "Street", address.street());
                element(xml, 2, "Rt", address.rt());
                element(xml, 2, "Rw", address.rw());
                element(xml, 2, "VillageCode", address.villageCode());
                element(xml, 2, "Village", address.village());
                element(xml, 2, "DistrictCode", address.districtCode());
                element(xml, 2, "District", address.district());
                element(xml, 2, "RegencyCode", address.regencyCode());
                element(xml, 2, "Regency", address.regency());
                element(xml, 2, "ProvinceCode", address.provinceCode());
                element(xml, 2, "Province", address.province());
                element(xml, 2, "PostalCode", address.postalCode());
                xml.writeCharacters("\n  ");
                xml.writeEndElement();
            }
            element(xml, 1, "DateOfDeath", record.dateOfDeath());
            element(xml, 1, "PlaceOfDeath", record.placeOfDeath());
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write a taxpayer record", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** One indented element, left out when the record has no value for it. */
    private static void element(XMLStreamWriter xml, int depth, String name, Object value)
            throws XMLStreamException {
        if (value != null) {
            xml.writeCharacters("\n" + "  ".repeat(depth));
            xml.writeStartElement(name);
            xml.writeCharacters(value.toString());
            xml.writeEndElement();
        }
    }
}
