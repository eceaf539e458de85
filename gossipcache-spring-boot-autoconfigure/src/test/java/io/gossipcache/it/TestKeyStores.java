package io.gossipcache.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** PKCS12 key stores made with the JDK's keytool, as the README tells operators to make them. */
final class TestKeyStores {

    static final String PASSWORD = "changeit";

    private TestKeyStores() {
    }

    /** A store at {@code file} with one new EC key pair and its self-signed certificate. */
    static Path create(Path file, String commonName) throws Exception {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "member", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650",
                "-dname", "CN=" + commonName, "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt")).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("keytool did not finish in 60 s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + new String(process.getInputStream().readAllBytes()));
        }
        return file;
    }

    /** Properties of an SSL bundle {@code name} using {@code store} as key store and trust store. */
    static String[] bundle(String name, Path store) {
        String prefix = "spring.ssl.bundle.jks." + name + ".";
        return new String[] {
                prefix + "keystore.location=file:" + store,
                prefix + "keystore.password=" + PASSWORD,
                prefix + "keystore.type=PKCS12",
                prefix + "truststore.location=file:" + store,
                prefix + "truststore.password=" + PASSWORD,
                prefix + "truststore.type=PKCS12" };
    }
}
