package dev.sentryboot.autoconfigure.jdbc;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throwaway PostgreSQL server for one test class, run from the distribution's own binaries
 * ({@code apt-get install postgresql}) as a plain process on 127.0.0.1: no Docker, no network
 * beyond loopback, trust authentication for user {@code postgres}, fsync off.
 * <p>
 * Register with {@code @RegisterExtension static final PostgresServer postgres = new PostgresServer();}.
 * Without the binaries the class is skipped, except on CI ({@code CI=true}), where it fails:
 * CI installs them, so their absence there is a broken build, not a reason to test less.
 */
final class PostgresServer implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

	static final String USER = "postgres";

	static final String DATABASE = "postgres";

	private static final Path DISTRIBUTIONS = Path.of("/usr/lib/postgresql");

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

	private static final int START_ATTEMPTS = 3;

	private static final String MISSING = "PostgreSQL server binaries not found (" + DISTRIBUTIONS
			+ "/*/bin/{initdb,postgres,pg_ctl})";

	private Path binaries;

	private boolean asRoot;

	private Path base;

	private Path data;

	private Path log;

	private Process process;

	private int port;

	private Thread shutdownHook;

	int port() {
		return this.port;
	}

	String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + DATABASE;
	}

	// A condition rather than only an abort in beforeAll: Surefire counts a class aborted there
	// as "Tests run: 0, Skipped: 0", a disabled one as skipped, with the reason in its report.
	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (findBinaries().isPresent() || onCi()) {
			return ConditionEvaluationResult.enabled("PostgreSQL server binaries found, or on CI where they must be");
		}
		return ConditionEvaluationResult.disabled(MISSING + "; install them with 'apt-get install postgresql' to run these tests");
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stop();
	}

	synchronized void start() throws IOException, InterruptedException {
		if (this.process != null) {
			return;
		}
		this.binaries = findBinaries().orElseGet(PostgresServer::missingBinaries);
		this.asRoot = runningAsRoot();
		this.shutdownHook = new Thread(this::stop, "postgres-server-stop");
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		try {
			this.base = createBaseDirectory();
			this.data = this.base.resolve("data");
			this.log = this.base.resolve("postgres.log");
			run(List.of(binary("initdb"), "-D", this.data.toString(), "-A", "trust", "-U", USER, "-E", "UTF8",
					"--no-locale", "--no-sync"), this.base.resolve("initdb.log"));
			startServer();
		}
		catch (IOException | InterruptedException | RuntimeException | Error ex) {
			stop();
			throw ex;
		}
	}

	synchronized void stop() {
		try {
			stopServer();
		}
		finally {
			deleteBaseDirectory();
			removeShutdownHook();
		}
	}

	private void startServer() throws IOException, InterruptedException {
		// A free port can be taken by someone else between the probe and the bind: try again.
		for (int attempt = 1;; attempt++) {
			this.port = freePort();
			List<String> command = command(List.of(binary("postgres"), "-D", this.data.toString(), "-p",
					Integer.toString(this.port), "-h", "127.0.0.1", "-k", this.base.toString(), "-F"));
			this.process = new ProcessBuilder(command).directory(this.base.toFile())
				.redirectErrorStream(true)
				.redirectOutput(this.log.toFile())
				.start();
			if (awaitConnections()) {
				return;
			}
			String output = read(this.log);
			stopServer();
			if (attempt >= START_ATTEMPTS || !output.contains("could not bind")) {
				throw new IllegalStateException("PostgreSQL did not accept connections on 127.0.0.1:" + this.port
						+ " within " + STARTUP_TIMEOUT.toSeconds() + " s; started as " + String.join(" ", command)
						+ "\n" + output);
			}
		}
	}

	private boolean awaitConnections() throws InterruptedException {
		Properties properties = new Properties();
		properties.setProperty("user", USER);
		properties.setProperty("connectTimeout", "2");
		properties.setProperty("socketTimeout", "5");
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				return false;
			}
			try (Connection connection = DriverManager.getConnection(jdbcUrl(), properties)) {
				if (connection.isValid(2)) {
					return true;
				}
			}
			catch (SQLException ex) {
				// Not up yet ("the database system is starting up", connection refused).
			}
			Thread.sleep(100);
		}
		return false;
	}

	private void stopServer() {
		Process running = this.process;
		this.process = null;
		if (running == null) {
			return;
		}
		try {
			if (running.isAlive() && this.data != null && Files.isDirectory(this.data)) {
				// Immediate: nothing in a throwaway cluster is worth a checkpoint.
				run(List.of(binary("pg_ctl"), "stop", "-D", this.data.toString(), "-m", "immediate", "-w", "-t",
						Long.toString(STOP_TIMEOUT.toSeconds())), this.base.resolve("pg_ctl.log"));
			}
			if (running.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				return;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException | RuntimeException ex) {
			// Fall through to killing it.
		}
		// What pg_ctl's immediate mode sends, straight to the postmaster: unlike SIGKILL it still
		// removes the server's shared memory.
		quit(running);
		// runuser does not pass SIGKILL on: kill the server and its backends themselves.
		running.descendants().forEach(ProcessHandle::destroyForcibly);
		running.destroyForcibly();
		try {
			running.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void quit(Process running) {
		try {
			Path pidFile = (this.data != null) ? this.data.resolve("postmaster.pid") : null;
			if (pidFile == null || !Files.exists(pidFile)) {
				return;
			}
			String pid = Files.readAllLines(pidFile, StandardCharsets.UTF_8).get(0).trim();
			Process kill = new ProcessBuilder("kill", "-QUIT", pid).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			kill.waitFor(5, TimeUnit.SECONDS);
			running.waitFor(5, TimeUnit.SECONDS);
		}
		catch (IOException | RuntimeException ex) {
			// SIGKILL follows.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void run(List<String> arguments, Path output) throws IOException, InterruptedException {
		List<String> command = command(arguments);
		Process started = new ProcessBuilder(command).directory(this.base.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		if (!started.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			started.descendants().forEach(ProcessHandle::destroyForcibly);
			started.destroyForcibly();
			throw new IllegalStateException(
					String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT.toSeconds() + " s\n"
							+ read(output));
		}
		if (started.exitValue() != 0) {
			throw new IllegalStateException(
					String.join(" ", command) + " exited with " + started.exitValue() + "\n" + read(output));
		}
	}

	// initdb and postgres refuse to run as root: the Debian package's postgres user runs them.
	private List<String> command(List<String> arguments) {
		if (!this.asRoot) {
			return arguments;
		}
		List<String> command = new ArrayList<>(List.of("runuser", "-u", USER, "--"));
		command.addAll(arguments);
		return command;
	}

	private String binary(String name) {
		return this.binaries.resolve(name).toString();
	}

	// Under /tmp, short: the socket path must fit in 107 bytes. World-writable so that the
	// postgres user can create the data directory (initdb makes it 0700) and the socket in it.
	private static Path createBaseDirectory() throws IOException {
		Path tmp = Path.of("/tmp");
		Path parent = Files.isDirectory(tmp) ? tmp : Path.of(System.getProperty("java.io.tmpdir"));
		Path base = Files.createTempDirectory(parent, "sentry-boot-pg-");
		Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
		return base;
	}

	private void deleteBaseDirectory() {
		Path directory = this.base;
		this.base = null;
		if (directory == null || !Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException | UncheckedIOException ex) {
			// Left in /tmp: nothing else to do about it.
		}
	}

	private void removeShutdownHook() {
		Thread hook = this.shutdownHook;
		this.shutdownHook = null;
		if (hook == null || Thread.currentThread() == hook) {
			return;
		}
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		}
		catch (IllegalStateException ex) {
			// Already shutting down: the hook is running or about to.
		}
	}

	/** The newest installed version that has all three binaries. */
	static Optional<Path> findBinaries() {
		if (!Files.isDirectory(DISTRIBUTIONS)) {
			return Optional.empty();
		}
		try (Stream<Path> versions = Files.list(DISTRIBUTIONS)) {
			return versions.map((version) -> version.resolve("bin"))
				.filter((bin) -> Stream.of("initdb", "postgres", "pg_ctl").allMatch((name) -> Files.isExecutable(bin.resolve(name))))
				.max(Comparator.comparing((bin) -> version(bin.getParent().getFileName().toString())));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	// "9.6" < "15" < "16": compared by number, part by part.
	private static VersionNumber version(String name) {
		String[] parts = name.split("\\.");
		int major = parse(parts[0]);
		int minor = (parts.length > 1) ? parse(parts[1]) : 0;
		return new VersionNumber(major, minor);
	}

	private static int parse(String part) {
		try {
			return Integer.parseInt(part);
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static Path missingBinaries() {
		if (onCi()) {
			return Assertions.fail(MISSING + "; .ci/run installs them with apt-get install postgresql");
		}
		return Assumptions.abort(MISSING + "; install them with 'apt-get install postgresql' to run these tests");
	}

	private static boolean onCi() {
		return "true".equalsIgnoreCase(System.getenv("CI"));
	}

	private static boolean runningAsRoot() {
		if ("root".equals(System.getProperty("user.name"))) {
			return true;
		}
		try {
			return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return false;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			return "(cannot read " + file + ": " + ex + ")";
		}
	}

	private record VersionNumber(int major, int minor) implements Comparable<VersionNumber> {

		@Override
		public int compareTo(VersionNumber other) {
			int byMajor = Integer.compare(this.major, other.major);
			return (byMajor != 0) ? byMajor : Integer.compare(this.minor, other.minor);
		}

	}

}
