package org.portico.fidelity;

import java.util.ArrayList;
import java.util.List;

/** Every configuration the differential test runs, each with its scenarios, in the order they run. */
final class Catalogue {

    private Catalogue() {
    }

    static List<FrontConfig> configs() {
        List<FrontConfig> all = new ArrayList<>();
        all.addAll(MappingScenarios.configs());
        all.addAll(HeaderScenarios.configs());
        all.addAll(ErrorScenarios.configs());
        all.addAll(BalancerScenarios.configs());
        all.addAll(SeedScenarios.configs());
        all.addAll(HealthScenarios.configs());
        all.addAll(UpgradeScenarios.configs());
        return all;
    }
}
