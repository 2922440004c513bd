package id.jembatan.bench;

import id.jembatan.connector.tax.TaxTranslator;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A canonical birth of a new citizen as the civil registry sends it, with what is needed to recognise its arrival:
 * the MessageIds of the tax documents it becomes (its registration, then a dependants change per parent).
 */
record BenchEvent(UUID eventId, String nik, String json, List<String> taxMessageIds) {

    static List<BenchEvent> births(CitizenFixtures fixtures, int count) {
        List<BenchEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(of(fixtures.birth()));
        }
        return events;
    }

    static BenchEvent of(BirthRegistered birth) {
        Citizen c = birth.citizen();
        Set<String> taxIds = new LinkedHashSet<>();
        taxIds.add(birth.eventId().toString());
        for (String parent : new String[]{c.motherNik(), c.fatherNik()}) {
            if (parent != null && !parent.equals(c.nik())) {
                taxIds.add(TaxTranslator.dependantsMessageId(birth.eventId(), parent));
            }
        }
        return new BenchEvent(birth.eventId(), c.nik(), CitizenFixtures.json(birth), List.copyOf(taxIds));
    }
}
