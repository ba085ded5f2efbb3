package se.trygg.opensearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node of a development cluster on loopback, in this JVM.
 *
 * <p>Started the way OpenSearch's test framework starts its MockNode: a {@link Node} given
 * its plugins as classes (the HTTP transport and the common analysis module), with no
 * installation, no security manager and no bootstrap checks (it binds to loopback only).
 *
 * <pre>
 * java -cp 'target/classes:target/lib/*' se.trygg.opensearch.DevNode \
 *     --home DIR --name NAME --cluster NAME --http-port 9200 --transport-port 9300 \
 *     --seeds 9300,9301,9302 --managers node-0,node-1,node-2
 * </pre>
 *
 * A single node (no --seeds) runs with discovery.type=single-node.  It prints
 * "started http://127.0.0.1:PORT" once it answers, and closes cleanly on SIGTERM.
 */
public final class DevNode {

    /** A Node with plugins given on the classpath, as OpenSearch's MockNode. */
    static final class PluginNode extends Node {
        PluginNode(Environment environment, List<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    public static void main(String[] args) throws Exception {
        String home = null, name = "node-0", cluster = "trygg-dev", seeds = null, managers = null;
        int httpPort = 9200, transportPort = 9300;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--home": home = value; i++; break;
                case "--name": name = value; i++; break;
                case "--cluster": cluster = value; i++; break;
                case "--http-port": httpPort = Integer.parseInt(value); i++; break;
                case "--transport-port": transportPort = Integer.parseInt(value); i++; break;
                case "--seeds": seeds = value; i++; break;
                case "--managers": managers = value; i++; break;
                default:
                    System.err.println("DevNode: unknown argument " + args[i]);
                    System.exit(2);
            }
        }
        if (home == null) {
            System.err.println("DevNode: --home DIR is required");
            System.exit(2);
        }
        Path homePath = Path.of(home).toAbsolutePath();
        Files.createDirectories(homePath.resolve("data"));
        Files.createDirectories(homePath.resolve("logs"));
        Files.createDirectories(homePath.resolve("config"));

        Settings.Builder settings = Settings.builder()
            .put("path.home", homePath.toString())
            .put("path.data", homePath.resolve("data").toString())
            .put("path.logs", homePath.resolve("logs").toString())
            .put("cluster.name", cluster)
            .put("node.name", name)
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort)
            .put("transport.port", transportPort)
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            // a development machine's disk may be nearly full: never refuse shards for it
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.auto_create_index", true);
        if (seeds == null) {
            settings.put("discovery.type", "single-node");
        } else {
            List<String> hosts = new ArrayList<>();
            for (String port : seeds.split(",")) {
                hosts.add("127.0.0.1:" + port.trim());
            }
            settings.putList("discovery.seed_hosts", hosts);
            settings.putList("cluster.initial_cluster_manager_nodes",
                managers == null ? Collections.singletonList(name) : List.of(managers.split(",")));
        }
        Settings built = settings.build();

        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(name);
        LogConfigurator.configureWithoutConfig(built);

        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            built, Collections.emptyMap(), homePath.resolve("config"), () -> null);
        List<Class<? extends Plugin>> plugins = List.of(Netty4Plugin.class, CommonAnalysisPlugin.class);
        Node node = new PluginNode(environment, plugins);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("DevNode: closing: " + e);
            }
            closed.countDown();
        }));
        node.start();
        System.out.println("started http://127.0.0.1:" + httpPort);
        System.out.flush();
        closed.await();
    }
}
