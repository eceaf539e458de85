package io.gossipcache.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.logging.Log;
import org.junit.jupiter.api.Test;

class ExpectedClosesLogTest {

    @Test
    void jgroupsStillLogsTheExpectedClosesWithTheFormatsThatAreTakenDown() throws Exception {
        StringBuilder constants = new StringBuilder();
        for (String type : List.of("TcpConnection.class", "TcpConnection$Receiver.class")) {
            try (InputStream in = org.jgroups.blocks.cs.TcpConnection.class.getResourceAsStream(type)) {
                constants.append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(constants.toString()).as("a JGroups upgrade changed the messages: update ExpectedClosesLog")
                .contains(ExpectedClosesLog.GRACEFUL_CLOSE_FAILED, ExpectedClosesLog.READ_FAILED);
    }

    @Test
    void aFailedGracefulCloseIsDebugAndEveryOtherErrorStaysAnError() {
        List<String> lines = new ArrayList<>();
        Log recording = (Log) java.lang.reflect.Proxy.newProxyInstance(Log.class.getClassLoader(),
                new Class<?>[] {Log.class}, (proxy, method, args) -> {
                    if (args != null && args.length > 0 && args[0] instanceof String text) {
                        lines.add(method.getName() + " " + text);
                    }
                    return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
                });
        Log log = new ExpectedClosesLog(recording);
        log.error(ExpectedClosesLog.GRACEFUL_CLOSE_FAILED, "a", "b", "Broken pipe");
        log.error("%s: something else failed", "a");
        log.warn(ExpectedClosesLog.READ_FAILED, "a", ExpectedClosesLog.STREAM_CLOSED);
        log.warn(ExpectedClosesLog.READ_FAILED, "a", "the length of a message (2GB) is bigger than the max accepted");
        assertThat(lines).containsExactly("debug " + ExpectedClosesLog.GRACEFUL_CLOSE_FAILED,
                "error %s: something else failed", "debug " + ExpectedClosesLog.READ_FAILED,
                "warn " + ExpectedClosesLog.READ_FAILED);
    }
}
