package id.jembatan.connector.health;

import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A citizen's registered full name as a Patient's official {@link HumanName}. */
final class PatientNames {

    /** Patronymic particles: "Ahmad bin Yusuf" has the given name Ahmad and the family part "bin Yusuf". */
    private static final Set<String> PATRONYMIC_PARTICLES = Set.of("bin", "binti");

    private PatientNames() {
    }

    /**
     * The official name. {@code text} is the name exactly as registered and the only part read back. Many
     * Indonesians have a single name and most have no family name at all, so: a single name is only a given name
     * (no family name is invented); "X bin/binti Y" keeps the patronymic as the family part; otherwise the last word
     * is the family part, as Indonesian passports and international forms split names.
     */
    static HumanName officialName(String fullName) {
        if (fullName == null || fullName.isBlank()) {
            return null;
        }
        String text = fullName.strip();
        String[] words = text.split("\\s+");
        HumanName name = new HumanName().setUse(HumanName.NameUse.OFFICIAL).setText(text);
        int familyStart = words.length - 1;
        for (int i = 1; i < words.length - 1; i++) {
            if (PATRONYMIC_PARTICLES.contains(words[i].toLowerCase(Locale.ROOT))) {
                familyStart = i;
                break;
            }
        }
        if (words.length == 1) {
            name.addGiven(words[0]);
            return name;
        }
        for (int i = 0; i < familyStart; i++) {
            name.addGiven(words[i]);
        }
        name.setFamily(String.join(" ", List.of(words).subList(familyStart, words.length)));
        return name;
    }

    /** Puts {@code name} first in place of the official names; other names the agency added stay. */
    static void replaceOfficialName(Patient patient, HumanName name) {
        patient.getName().removeIf(PatientNames::isOfficial);
        patient.getName().add(0, name);
    }

    static boolean isOfficial(HumanName name) {
        return !name.hasUse() || name.getUse() == HumanName.NameUse.OFFICIAL;
    }
}
