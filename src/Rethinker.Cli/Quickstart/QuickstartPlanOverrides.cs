// `rethinker quickstart --set sft_steps=800 --set image_size=112`: resize any field of a QuickstartPlan by its
// snake_case name, so a user can scale the quickstart up (or run a sizing experiment) without editing code.
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Rethinker.Cli.Quickstart;

public static class QuickstartPlanOverrides
{
    /// <summary>snake_case name → settable property of the plan (Name excluded: it labels the preset).</summary>
    static readonly Dictionary<string, PropertyInfo> Settable = typeof(QuickstartPlan)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite && p.Name != nameof(QuickstartPlan.Name))
        .ToDictionary(p => SnakeCase(p.Name), StringComparer.Ordinal);

    public static IEnumerable<string> Keys => Settable.Keys.Order(StringComparer.Ordinal);

    public static QuickstartPlan Apply(QuickstartPlan plan, IEnumerable<string> assignments)
    {
        foreach (string assignment in assignments)
        {
            int eq = assignment.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"--set '{assignment}': expected KEY=VALUE, e.g. --set sft_steps=800");
            string key = assignment[..eq].Trim(), value = assignment[(eq + 1)..].Trim();
            if (!Settable.TryGetValue(key, out var property))
                throw new ArgumentException($"--set '{assignment}': unknown quickstart setting '{key}'; known: {string.Join(", ", Keys)}");
            // A record `with` on a copy keeps the preset itself untouched.
            plan = plan with { };
            property.SetValue(plan, Parse(property.PropertyType, value, assignment));
        }
        return plan;
    }

    static object Parse(Type type, string value, string assignment)
    {
        var inv = CultureInfo.InvariantCulture;
        try
        {
            if (type == typeof(bool)) return bool.Parse(value);
            if (type == typeof(int)) return int.Parse(value, inv);
            if (type == typeof(long)) return long.Parse(value, inv);
            if (type == typeof(float)) return float.Parse(value, NumberStyles.Float, inv);
            if (type == typeof(IReadOnlyList<string>)) return value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            if (type == typeof(IReadOnlyList<int>)) return value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => int.Parse(v, inv)).ToList();
        }
        catch (FormatException)
        {
            throw new ArgumentException($"--set '{assignment}': '{value}' is not a valid {Describe(type)}");
        }
        catch (OverflowException)
        {
            throw new ArgumentException($"--set '{assignment}': '{value}' is out of range for {Describe(type)}");
        }
        throw new InvalidOperationException($"quickstart setting of type {type.Name} has no parser");
    }

    static string Describe(Type type) =>
        type == typeof(bool) ? "boolean (true or false)" : type == typeof(float) ? "number" : type == typeof(IReadOnlyList<string>) ? "comma-separated list"
        : type == typeof(IReadOnlyList<int>) ? "comma-separated list of integers" : "integer";

    static string SnakeCase(string pascal)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(pascal[i]));
        }
        return sb.ToString();
    }
}
