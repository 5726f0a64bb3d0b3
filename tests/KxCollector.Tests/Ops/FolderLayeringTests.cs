using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;
using KxCollector.Hosting;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Ops;

/// <summary>
/// The folders of <c>src/KxCollector/</c> depend on each other one way: a folder may use only the folders before it in
/// <see cref="Layers"/>. Checked on the compiled assembly, not on <c>using</c> lines, so a fully qualified name, a
/// lambda or an async state machine counts too: every type a type's signatures, fields, attributes and method bodies
/// (IL tokens) refer to.
/// </summary>
public sealed partial class FolderLayeringTests
{
    /// <summary>From the bottom: what each folder owns is said in README's "Layout".</summary>
    private static readonly string[] Layers =
    [
        "Pricing", "Configuration", "Cli", "Net", "Records", "Recording", "Archive", "Feeds", "Status", "Kalshi",
        "Backfill", "Store", "Verification", "Export", "SettlementReport", "Metrics", "StatusPage", "Hosting",
    ];

    private static readonly Assembly Collector = typeof(CollectorHost).Assembly;

    [Fact]
    public void Every_folder_uses_only_the_folders_below_it()
    {
        var offences = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in Collector.GetTypes())
        {
            var from = FolderOf(type);
            if (from is null)
            {
                continue; // Program and the compiler's own types: the entry point may use everything.
            }

            foreach (var used in References(type))
            {
                if (FolderOf(used) is { } to && Rank(to) > Rank(from))
                {
                    offences.Add($"{from} → {to}: {Outermost(type).FullName} uses {Outermost(used).FullName}");
                }
            }
        }

        offences.Should().BeEmpty("a folder may use only the folders listed before it ({0})", string.Join(" → ", Layers));
    }

    [Fact]
    public void Every_folder_of_the_collector_has_its_place_in_the_layers()
    {
        var folders = Directory.GetDirectories(RepositoryRoot.Combine("src", "KxCollector"))
            .Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj" or "Properties"))
            .ToList();

        folders.Should().BeSubsetOf(Layers, "a new folder needs a place in the layering (and a sentence in README's Layout)");
    }

    [Fact]
    public void README_s_layout_describes_the_folders_in_their_layering_order()
    {
        // One sentence per folder, bottom up: a folder added, moved or renamed without README fails here.
        var readme = File.ReadAllText(RepositoryRoot.Combine("README.md"));
        var layout = readme[readme.IndexOf("## Layout", StringComparison.Ordinal)..];
        var described = LayoutRow().Matches(layout).Select(m => m.Groups[1].Value).ToList();

        described.Should().Equal(Layers);
    }

    [Fact]
    public void Each_file_s_namespace_names_its_top_folder()
    {
        // The layering test reads folders from namespaces: a file whose namespace names another folder would slip by.
        var root = RepositoryRoot.Combine("src", "KxCollector");
        var mismatches = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => (path, relative: Path.GetRelativePath(root, path)))
            .Where(x => x.relative.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(x => (x.relative, folder: x.relative[..x.relative.IndexOf(Path.DirectorySeparatorChar, StringComparison.Ordinal)], ns: NamespaceLine().Match(File.ReadAllText(x.path))))
            .Where(x => !x.ns.Success || x.ns.Groups[1].Value != x.folder)
            .Select(x => $"{x.relative}: namespace {(x.ns.Success ? x.ns.Groups[1].Value : "(none)")}")
            .ToList();

        mismatches.Should().BeEmpty();
    }

    [Fact]
    public void The_check_sees_a_dependency_that_only_a_method_body_has()
    {
        // The check must be able to fail: this test class's own body refers to CollectorHost (Hosting) only through IL.
        References(typeof(BodyOnlyReference)).Should().Contain(typeof(CollectorHost));
        References(typeof(BodyOnlyReference)).Should().NotContain(typeof(FolderLayeringTests));
    }

    private static class BodyOnlyReference
    {
        public static string Name() => nameof(CollectorHost) + typeof(CollectorHost).Name;
    }

    private static int Rank(string folder)
    {
        var rank = Array.IndexOf(Layers, folder);
        return rank >= 0 ? rank : throw new InvalidOperationException($"the folder {folder} has no place in the layering");
    }

    /// <summary>KxCollector.&lt;Folder&gt;[.…] → Folder; null outside a folder (Program, compiler-generated types).</summary>
    private static string? FolderOf(Type type)
    {
        if (type.Assembly != Collector || Outermost(type).Namespace is not { } ns || !ns.StartsWith("KxCollector.", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = ns["KxCollector.".Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private const BindingFlags Everything =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static HashSet<Type> References(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null)
            {
                return;
            }

            if (t.HasElementType)
            {
                Add(t.GetElementType());
                return;
            }

            if (t.IsGenericParameter || !found.Add(t))
            {
                return;
            }

            if (t.IsGenericType && !t.IsGenericTypeDefinition)
            {
                Add(t.GetGenericTypeDefinition());
                foreach (var argument in t.GetGenericArguments())
                {
                    Add(argument);
                }
            }
        }

        Add(type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            Add(i);
        }

        foreach (var a in type.GetCustomAttributesData())
        {
            Add(a.AttributeType);
        }

        foreach (var field in type.GetFields(Everything))
        {
            Add(field.FieldType);
        }

        foreach (var property in type.GetProperties(Everything))
        {
            Add(property.PropertyType);
        }

        foreach (var e in type.GetEvents(Everything))
        {
            Add(e.EventHandlerType);
        }

        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
            }

            foreach (var local in method.GetMethodBody()?.LocalVariables ?? [])
            {
                Add(local.LocalType);
            }

            foreach (var member in BodyTokens(method))
            {
                switch (member)
                {
                    case Type t:
                        Add(t);
                        break;
                    case MethodBase m:
                        Add(m.DeclaringType);
                        foreach (var argument in m.IsGenericMethod ? m.GetGenericArguments() : [])
                        {
                            Add(argument);
                        }

                        break;
                    case FieldInfo f:
                        Add(f.DeclaringType);
                        Add(f.FieldType);
                        break;
                }
            }
        }

        found.Remove(type);
        return found;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The types, methods and fields a method's IL names by token.</summary>
    private static IEnumerable<MemberInfo> BodyTokens(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            short value = il[at++];
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il[at++]));
            }

            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                    yield return method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments)!;
                    at += 4;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default: // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR
                    at += 4;
                    break;
            }
        }
    }

    [GeneratedRegex(@"^\| `(\w+)/` \|", RegexOptions.Multiline)]
    private static partial Regex LayoutRow();

    [GeneratedRegex(@"^namespace\s+KxCollector\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();
}
