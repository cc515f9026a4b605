using System.Reflection;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Mesos.Orleans.Interfaces.Client;

namespace Mesos.Orleans.UnitTests.ClientLibrary;

/// <summary>The contracts the client package publishes from Mesos.Orleans.Interfaces (namespace
/// Mesos.Orleans.Interfaces.Client) carry XML docs on every public member, as src/Client does by CS1591; the
/// Interfaces project as a whole does not require docs, so this test holds that namespace to it.</summary>
public sealed class ContractDocsTests
{
    [Fact]
    public void Every_public_contract_member_is_documented()
    {
        var assembly = typeof(IMesosClient).Assembly;
        var xml = XDocument.Load(Path.ChangeExtension(assembly.Location, ".xml"));
        var documented = xml.Descendants("member").Select(m => (string)m.Attribute("name")!).ToHashSet(StringComparer.Ordinal);
        var expected = assembly.GetExportedTypes().Where(t => t.Namespace == typeof(IMesosClient).Namespace).SelectMany(Ids).ToList();

        Assert.NotEmpty(expected);
        var missing = expected.Where(id => !documented.Contains(id)).ToList();
        Assert.True(missing.Count == 0, "Undocumented:\n" + string.Join('\n', missing));
    }

    private static IEnumerable<string> Ids(Type type)
    {
        yield return "T:" + TypeId(type);
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var member in type.GetMembers(flags).Where(m => !m.IsDefined(typeof(CompilerGeneratedAttribute))))
        {
            switch (member)
            {
                case MethodInfo method when !method.IsSpecialName:
                    yield return $"M:{TypeId(type)}.{method.Name}{Parameters(method)}";
                    break;
                case PropertyInfo property when !IsRecordCopyMember(property):
                    yield return $"P:{TypeId(type)}.{property.Name}";
                    break;
                case ConstructorInfo constructor when constructor.GetParameters().Length > 0 && !IsCopyConstructor(constructor):
                    yield return $"M:{TypeId(type)}.#ctor{Parameters(constructor)}";
                    break;
                case FieldInfo field when !type.IsEnum:
                    yield return $"F:{TypeId(type)}.{field.Name}";
                    break;
                default:
                    break;
            }
        }
    }

    private static bool IsRecordCopyMember(PropertyInfo property) => property.Name == "EqualityContract";

    private static bool IsCopyConstructor(ConstructorInfo constructor) =>
        constructor.GetParameters() is [var only] && only.ParameterType == constructor.DeclaringType;

    private static string Parameters(MethodBase method) =>
        method.GetParameters() is { Length: > 0 } parameters ? "(" + string.Join(',', parameters.Select(p => TypeId(p.ParameterType))) + ")" : string.Empty;

    private static string TypeId(Type type) => type switch
    {
        { IsByRef: true } => TypeId(type.GetElementType()!) + "@",
        { IsArray: true } => TypeId(type.GetElementType()!) + "[]",
        { IsGenericType: true } => GenericName(type) + "{" + string.Join(',', type.GetGenericArguments().Select(TypeId)) + "}",
        _ => type.FullName!.Replace('+', '.'),
    };

    private static string GenericName(Type type)
    {
        var name = type.GetGenericTypeDefinition().FullName!.Replace('+', '.');
        return name[..name.IndexOf('`', StringComparison.Ordinal)];
    }
}
