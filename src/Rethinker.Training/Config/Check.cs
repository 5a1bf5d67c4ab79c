// Validation helpers: every failure names the option by its YAML path and says what it expects.
namespace Rethinker.Training.Config;

/// <summary>A bad option or config file; the message names the option and the expected value.</summary>
public sealed class ConfigException(string message, Exception? inner = null) : Exception(message, inner);

internal static class Check
{
    public static void Positive(int value, string name)
    {
        if (value <= 0) throw new ConfigException($"{name} must be a positive integer, got {value}.");
    }

    public static void InRange(float value, float min, float max, string name, string expected, bool exclusiveMin = false, bool exclusiveMax = false)
    {
        bool ok = !float.IsNaN(value)
                  && (exclusiveMin ? value > min : value >= min)
                  && (exclusiveMax ? value < max : value <= max);
        if (!ok) throw new ConfigException($"{name} = {value} is out of range: expected {expected}.");
    }
}
