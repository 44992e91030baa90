/*
 * Runs a real Apache Solr 9 HTTP server (Jetty, under /solr) for local CKAN development and tests,
 * using org.apache.solr.embedded.JettySolrRunner from solr-test-framework. solr.sh compiles this
 * file once into .solr/classes (Java's source launcher would spend seconds compiling it against
 * 140 jars on every start) and runs:
 *
 *   java -cp '.solr/classes:.solr/lib/*' -Dlog4j2.configurationFile=docker/solr/log4j2.xml \
 *        BdomSolr SOLR_HOME [PORT] [HOST]
 *
 * (`java -cp '.solr/lib/*' docker/solr/BdomSolr.java SOLR_HOME ...` works too.)
 * SOLR_HOME holds solr.xml and one folder per core (core.properties + conf/). PORT defaults to
 * $SOLR_PORT or 8983. HOST must be 127.0.0.1: JettySolrRunner always binds to loopback.
 * Optional -Dbdom.pidFile=FILE is removed on a clean shutdown if it still holds our pid.
 * Exits non-zero if Jetty cannot start or a core fails to load. SIGTERM/SIGINT stop it cleanly.
 */

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.solr.core.CoreContainer;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

public class BdomSolr {
  private static final Logger JUL_ROOT = Logger.getLogger("");

  public static void main(String[] args) throws Exception {
    String home = arg(args, 0, "SOLR_HOME", null);
    int port = Integer.parseInt(arg(args, 1, "SOLR_PORT", "8983"));
    String host = arg(args, 2, "SOLR_HOST", "127.0.0.1");
    if (home == null) fail(64, "usage: BdomSolr SOLR_HOME [PORT] [HOST]");
    Path homeDir = Path.of(home).toAbsolutePath().normalize();
    if (!Files.isRegularFile(homeDir.resolve("solr.xml"))) fail(66, "no solr.xml in " + homeDir);
    if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
      fail(64, "JettySolrRunner only binds to 127.0.0.1, not " + host);
    }
    System.setProperty("solr.solr.home", homeDir.toString());
    JUL_ROOT.setLevel(Level.SEVERE); // Jersey logs harmless warnings through java.util.logging

    JettyConfig config =
        JettyConfig.builder()
            .setPort(port)
            .setContext("/solr")
            .stopAtShutdown(false) // our own hook stops Solr (cores, then Jetty)
            .withPortRetryTime(0) // fail at once if the port is taken
            .waitForLoadingCoresToFinish(300_000L)
            .build();
    JettySolrRunner solr = new JettySolrRunner(homeDir.toString(), config);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    if (solr.isRunning()) solr.stop();
                  } catch (Exception e) {
                    System.err.println("BdomSolr: error while stopping: " + e);
                  } finally {
                    removePidFile();
                    stopped.countDown();
                  }
                },
                "bdom-solr-shutdown"));

    try {
      solr.start();
    } catch (Exception e) {
      System.err.println("BdomSolr: could not start Solr on 127.0.0.1:" + port + ": " + e);
      System.exit(1);
    }

    CoreContainer cores = solr.getCoreContainer();
    Map<String, CoreContainer.CoreLoadFailure> failures = cores.getCoreInitFailures();
    if (!failures.isEmpty()) {
      failures.forEach(
          (name, f) -> System.err.println("BdomSolr: core " + name + " failed: " + rootCause(f.exception)));
      System.exit(2);
    }
    System.out.println(
        "BdomSolr: Solr " + org.apache.solr.client.api.util.SolrVersion.LATEST + " ready at "
            + solr.getBaseUrl() + " cores=" + cores.getLoadedCoreNames());
    System.out.flush();
    stopped.await(); // until the shutdown hook has run
  }

  private static String arg(String[] args, int i, String env, String dflt) {
    if (args.length > i && !args[i].isBlank()) return args[i];
    String v = System.getenv(env);
    return v != null && !v.isBlank() ? v : dflt;
  }

  private static String rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.toString();
  }

  private static void removePidFile() {
    String f = System.getProperty("bdom.pidFile");
    if (f == null) return;
    try {
      Path p = Path.of(f);
      if (Files.isRegularFile(p)
          && Files.readString(p).trim().equals(Long.toString(ProcessHandle.current().pid()))) {
        Files.delete(p);
      }
    } catch (Exception ignored) {
      // best effort
    }
  }

  private static void fail(int code, String msg) {
    System.err.println("BdomSolr: " + msg);
    System.exit(code);
  }
}
