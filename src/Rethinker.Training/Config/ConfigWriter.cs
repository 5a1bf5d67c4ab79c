// Writes a bound config back as YAML with the same snake_case keys the loader reads, so every run leaves
// its fully resolved configuration (file + overrides + defaults) beside its metrics, and --dry-run can show it.
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Rethinker.Training.Config;

public static class ConfigWriter
{
    public static string ToYaml(object config)
    {
        var sb = new StringBuilder();
        Write(sb, config, 0);
        return sb.ToString();
    }

    static void Write(StringBuilder sb, object obj, int indent)
    {
        foreach (var p in obj.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var v = p.GetValue(obj);
            sb.Append(' ', indent).Append(Naming.ToSnake(p.Name)).Append(':');
            switch (v)
            {
                case string s: sb.Append(' ').Append(Quote(s)).Append('\n'); break;
                case string[] arr: sb.Append(" [").Append(string.Join(", ", arr.Select(Quote))).Append("]\n"); break;
                case Enum e: sb.Append(' ').Append(Naming.ToSnake(e.ToString())).Append('\n'); break;
                case bool b: sb.Append(b ? " true\n" : " false\n"); break;
                case float f: sb.Append(' ').Append(f.ToString("R", CultureInfo.InvariantCulture)).Append('\n'); break;
                case IFormattable n: sb.Append(' ').Append(n.ToString(null, CultureInfo.InvariantCulture)).Append('\n'); break;
                case null: sb.Append(" \"\"\n"); break;
                default: sb.Append('\n'); Write(sb, v, indent + 2); break;
            }
        }
    }

    /// <summary>Double-quoted YAML scalar with escapes (triggers hold newlines).</summary>
    static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\t", "\\t") + "\"";
}
