package io.github.bpfevents.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A command's arguments: positional arguments and options, which may come in any order.
 * An option is {@code --name}, or takes a value as {@code --name VALUE} or
 * {@code --name=VALUE}; a short alias such as {@code -o} stands for its long name.
 * {@code --} ends the options; {@code -} alone is a positional argument (stdin).
 */
final class Args {
  private final List<String> positionals;
  private final Map<String, String> options;

  private Args(List<String> positionals, Map<String, String> options) {
    this.positionals = positionals;
    this.options = options;
  }

  /**
   * Parses a command's arguments.
   *
   * @param command the command's name, for messages
   * @param args the arguments after the command's name
   * @param spec each accepted option (long name, with its dashes) to whether it takes a
   *     value
   * @param aliases short option to the long name it stands for
   * @return the parsed arguments
   * @throws UsageException for an unknown option, a missing value, or a repeated option
   */
  static Args parse(String command, List<String> args, Map<String, Boolean> spec,
      Map<String, String> aliases) {
    List<String> positionals = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    boolean onlyPositionals = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (onlyPositionals || !a.startsWith("-") || a.equals("-")) {
        positionals.add(a);
        continue;
      }
      if (a.equals("--")) {
        onlyPositionals = true;
        continue;
      }
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      name = aliases.getOrDefault(name, name);
      Boolean takesValue = spec.get(name);
      if (takesValue == null) {
        throw new UsageException(command, "unknown option " + a + " for " + command
            + "; expected one of " + names(spec, aliases));
      }
      if (takesValue && value == null) {
        if (i + 1 >= args.size()) {
          throw new UsageException(command, "option " + a + " needs a value");
        }
        value = args.get(++i);
      } else if (!takesValue && value != null) {
        throw new UsageException(command, "option " + name + " takes no value; got " + a);
      }
      if (options.containsKey(name)) {
        throw new UsageException(command, "option " + name + " is given twice; expected it"
            + " at most once");
      }
      options.put(name, takesValue ? value : "");
    }
    return new Args(positionals, options);
  }

  private static String names(Map<String, Boolean> spec, Map<String, String> aliases) {
    TreeSet<String> all = new TreeSet<>(spec.keySet());
    all.addAll(aliases.keySet());
    return all.toString();
  }

  /**
   * The positional arguments.
   *
   * @return them, in order
   */
  List<String> positionals() {
    return positionals;
  }

  /**
   * Whether an option was given.
   *
   * @param name its long name, for example {@code --example}
   * @return true if given
   */
  boolean has(String name) {
    return options.containsKey(name);
  }

  /**
   * An option's value.
   *
   * @param name its long name
   * @param otherwise the value when it was not given
   * @return the value
   */
  String value(String name, String otherwise) {
    return options.getOrDefault(name, otherwise);
  }
}
