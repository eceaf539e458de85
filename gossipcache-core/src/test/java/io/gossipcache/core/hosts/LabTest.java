package io.gossipcache.core.hosts;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One {@link NetnsLab} per test class of the suite, removed after the class, pass or fail. Where the lab cannot run
 * (not Linux, not root, no namespaces), every test is skipped with one line saying why.
 */
abstract class LabTest {

    static NetnsLab lab;

    @BeforeAll
    static void createLab() throws Exception {
        if (NetnsLab.unavailableReason() == null) {
            lab = NetnsLab.create();
        }
    }

    @BeforeEach
    void needsTheLab() {
        assumeTrue(lab != null, () -> "namespace suite skipped: " + NetnsLab.unavailableReason());
    }

    @AfterAll
    static void closeLab() {
        if (lab != null) {
            lab.close();
            lab = null;
        }
    }
}
