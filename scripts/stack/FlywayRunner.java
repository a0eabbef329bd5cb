import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * Runs Flyway's engine through its Java API on MANTIS's migrations, as an operator would run Flyway.
 *
 * <p>Usage: {@code FlywayRunner migrate|validate|info [--locations=filesystem:migrations]
 * [--table=mantis_schema_history] name=value…}, the database from MANTIS_DATABASE_URL
 * ({@code postgres://user:password@host:port/database}, kept out of the command line), each
 * {@code name=value} a placeholder. {@code info} prints one tab-separated line per migration: version,
 * description, type, state, checksum, script. Exit code 1 with Flyway's message on failure, 2 on bad usage.
 */
public final class FlywayRunner {
  public static void main(String[] args) {
    if (args.length == 0) usage("a command is required");
    String locations = "filesystem:migrations";
    String table = "mantis_schema_history";
    Map<String, String> placeholders = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("--locations=")) locations = arg.substring("--locations=".length());
      else if (arg.startsWith("--table=")) table = arg.substring("--table=".length());
      else if (arg.indexOf('=') > 0) placeholders.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      else usage("unexpected argument " + arg);
    }
    String url = System.getenv("MANTIS_DATABASE_URL");
    if (url == null || !url.matches("^postgres(ql)?://.*")) usage("MANTIS_DATABASE_URL must be a postgres:// URL");
    URI uri = URI.create(url);
    String[] userInfo = uri.getRawUserInfo() == null ? new String[] {""} : uri.getRawUserInfo().split(":", 2);
    String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + uri.getRawPath()
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    Flyway flyway = Flyway.configure()
        .dataSource(jdbc, decode(userInfo[0]), userInfo.length > 1 ? decode(userInfo[1]) : null)
        .locations(locations)
        .table(table)
        .placeholders(placeholders)
        .load();
    try {
      switch (args[0]) {
        case "migrate" -> {
          MigrateResult result = flyway.migrate();
          MigrationInfo current = flyway.info().current();
          System.out.println("applied " + result.migrationsExecuted + " migrations; schema at version "
              + (current == null ? "none" : current.getVersion()));
        }
        case "validate" -> {
          ValidateResult result = flyway.validateWithResult();
          if (!result.validationSuccessful) {
            System.err.println(result.getAllErrorMessages());
            System.exit(1);
          }
          System.out.println("validated " + result.validateCount + " migrations");
        }
        case "info" -> {
          for (MigrationInfo info : flyway.info().all()) {
            System.out.println(String.join("\t", String.valueOf(info.getVersion()), info.getDescription(),
                info.getType().name(), info.getState().name(), String.valueOf(info.getChecksum()), info.getScript()));
          }
        }
        default -> usage("unknown command " + args[0]);
      }
    } catch (FlywayException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static void usage(String reason) {
    System.err.println("FlywayRunner: " + reason
        + "\nusage: FlywayRunner migrate|validate|info [--locations=…] [--table=…] name=value…");
    System.exit(2);
  }
}
