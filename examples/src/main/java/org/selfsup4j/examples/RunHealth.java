package org.selfsup4j.examples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.selfsup4j.core.train.DivergenceWarning;
import org.selfsup4j.core.train.SkippedStep;
import org.selfsup4j.core.train.Trainer;

/**
 * The {@code results.json} fields that say whether a run can be trusted: the steps the trainer's NaN
 * guard skipped (each with its reason) and the divergence monitor's warnings. A run with neither
 * has {@code "skipped_steps": []} and {@code "warnings": []}, so a reader can tell "checked, clean"
 * from "not recorded".
 */
public final class RunHealth {
    private RunHealth() {
    }

    /**
     * @param trainer the trainer after its run
     * @return {@code skipped_steps} (a list of {@code {step, reason}}) and {@code warnings} (a list of sentences)
     */
    public static Map<String, Object> fields(Trainer trainer) {
        List<Map<String, Object>> skipped = trainer.skippedSteps().stream().map(RunHealth::skipped).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("skipped_steps", skipped);
        out.put("warnings", trainer.warnings().stream().map(DivergenceWarning::message).toList());
        return out;
    }

    private static Map<String, Object> skipped(SkippedStep s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", s.step());
        m.put("reason", s.reason().name());
        return m;
    }
}
