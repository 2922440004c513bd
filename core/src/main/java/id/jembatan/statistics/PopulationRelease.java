package id.jembatan.statistics;

import id.jembatan.schema.rules.RegionCodes;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The living population's releases, by sex and by age band, protected together: the two share each region's total,
 * so each withholds every total that either needs withheld (a small one, or one withheld to protect another figure).
 * Neither release then gives away, through a total, a figure the other withholds.
 *
 * @param bySex     a region's population by {@link PopulationDimension#SEX}
 * @param byAgeBand a region's population by {@link PopulationDimension#AGE_BAND}
 */
public record PopulationRelease(RegionalRelease bySex, RegionalRelease byAgeBand) {

    /**
     * @param joint per regency the counts by sex and band, {@code [sex * bands + band]}, in the order of the
     *              dimensions' categories
     */
    public static PopulationRelease protect(Map<String, long[]> joint, RegionCodes regions,
                                            SmallCellProtection protection) {
        int sexes = PopulationDimension.SEX.categories().size();
        int bands = PopulationDimension.AGE_BAND.categories().size();
        Map<String, long[]> bySex = new HashMap<>();
        Map<String, long[]> byBand = new HashMap<>();
        joint.forEach((regency, counts) -> {
            long[] sex = bySex.computeIfAbsent(regency, r -> new long[sexes]);
            long[] band = byBand.computeIfAbsent(regency, r -> new long[bands]);
            for (int s = 0; s < sexes; s++) {
                for (int b = 0; b < bands; b++) {
                    long count = counts[s * bands + b];
                    sex[s] += count;
                    band[b] += count;
                }
            }
        });
        // Each dimension withholds the totals both need withheld: protect, take the union of the totals either
        // withholds, protect again with those, until both withhold the same (it only grows, so it ends).
        Set<String> withheldTotals = Set.of();
        while (true) {
            RegionalRelease sexRelease = RegionalRelease.protect(PopulationDimension.SEX.categories(), bySex, regions,
                    protection, withheldTotals);
            RegionalRelease bandRelease = RegionalRelease.protect(PopulationDimension.AGE_BAND.categories(), byBand,
                    regions, protection, withheldTotals);
            Set<String> union = new HashSet<>(sexRelease.withheldTotals());
            union.addAll(bandRelease.withheldTotals());
            if (union.equals(sexRelease.withheldTotals()) && union.equals(bandRelease.withheldTotals())) {
                return new PopulationRelease(sexRelease, bandRelease);
            }
            withheldTotals = union;
        }
    }

    /** The release of one dimension. */
    public RegionalRelease of(PopulationDimension dimension) {
        return dimension == PopulationDimension.SEX ? bySex : byAgeBand;
    }
}
