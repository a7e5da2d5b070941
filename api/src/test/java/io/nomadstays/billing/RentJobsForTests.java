package io.nomadstays.billing;

import java.time.Duration;
import org.springframework.context.ApplicationContext;

/** Runs the rent job once from tests of other packages (RentJobs stays package-private). */
public final class RentJobsForTests {

    private RentJobsForTests() {
    }

    public static void runOnce(ApplicationContext context) {
        context.getBean(RentJobs.class).runOnce().block(Duration.ofSeconds(30));
    }
}
