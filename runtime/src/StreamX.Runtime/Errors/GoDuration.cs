using System.Globalization;
using System.Text;

namespace StreamX;

/// <summary>
/// Go's <c>time.Duration.String()</c>, for byte-identical Kitex error texts: <c>0s</c>, <c>1.5ms</c>,
/// <c>100ms</c>, <c>99.99875ms</c>, <c>1µs</c>, <c>1s</c>, <c>1m0s</c>, <c>2m3.25s</c>, <c>1h0m0s</c>.
/// </summary>
public static class GoDuration
{
    /// <summary>Formats a duration as Go does (nanosecond precision; .NET ticks are 100 ns).</summary>
    public static string Format(TimeSpan duration) => Format(duration.Ticks * 100);

    /// <summary>Formats a number of nanoseconds as Go does.</summary>
    public static string Format(long nanoseconds)
    {
        if (nanoseconds == 0)
        {
            return "0s";
        }

        var negative = nanoseconds < 0;
        var u = negative ? (ulong)(-(nanoseconds + 1)) + 1 : (ulong)nanoseconds;
        var sb = new StringBuilder();
        if (u < 1_000_000_000UL)
        {
            // One unit, with a fraction: ns, µs or ms.
            var (scale, unit) = u switch
            {
                < 1_000UL => (1UL, "ns"),
                < 1_000_000UL => (1_000UL, "µs"),
                _ => (1_000_000UL, "ms"),
            };
            sb.Append(Fraction(u, scale)).Append(unit);
        }
        else
        {
            var hours = u / 3_600_000_000_000UL;
            var rest = u % 3_600_000_000_000UL;
            var minutes = rest / 60_000_000_000UL;
            var seconds = rest % 60_000_000_000UL;
            if (hours > 0)
            {
                sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
            }

            if (hours > 0 || minutes > 0)
            {
                sb.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
            }

            sb.Append(Fraction(seconds, 1_000_000_000UL)).Append('s');
        }

        return negative ? "-" + sb : sb.ToString();
    }

    private static string Fraction(ulong value, ulong scale)
    {
        var whole = value / scale;
        var frac = value % scale;
        if (frac == 0)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }

        var digits = scale.ToString(CultureInfo.InvariantCulture).Length - 1;
        var fracText = frac.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return whole.ToString(CultureInfo.InvariantCulture) + "." + fracText;
    }
}
