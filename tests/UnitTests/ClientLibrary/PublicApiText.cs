using System.Reflection;
using System.Text;

namespace Mesos.Orleans.UnitTests.ClientLibrary;

/// <summary>The public surface of types as sorted text, one member a line, with nullability and default
/// values: what a consumer of the package compiles against, so that any change to it shows in a diff.</summary>
internal static class PublicApiText
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static string Of(IEnumerable<Type> types)
    {
        var text = new StringBuilder();
        foreach (var type in types.Where(t => t.IsVisible).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            text.Append(Header(type)).Append('\n');
            foreach (var member in Members(type).Order(StringComparer.Ordinal))
            {
                text.Append("  ").Append(member).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Header(Type type)
    {
        var kind = type switch
        {
            { IsInterface: true } => "interface",
            { IsEnum: true } => "enum",
            { IsValueType: true } => "struct",
            _ when typeof(Delegate).IsAssignableFrom(type) => "delegate",
            { IsAbstract: true, IsSealed: true } => "static class",
            { IsAbstract: true } => "abstract class",
            { IsSealed: true } => "sealed class",
            _ => "class",
        };
        var bases = new List<string>();
        if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum))
        {
            bases.Add(Name(b));
        }

        bases.AddRange(type.GetInterfaces().Where(i => i.IsVisible).Select(Name).Order(StringComparer.Ordinal));
        return $"{kind} {Name(type)}" + (bases.Count == 0 ? string.Empty : " : " + string.Join(", ", bases));
    }

    private static IEnumerable<string> Members(Type type)
    {
        var nullability = new NullabilityInfoContext();
        if (type.IsEnum)
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                yield return $"{field.Name} = {Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}";
            }

            yield break;
        }

        foreach (var member in type.GetMembers(Declared).Where(IsVisible))
        {
            switch (member)
            {
                case ConstructorInfo constructor:
                    yield return $"{Modifiers(constructor)}ctor({Parameters(constructor, nullability)})";
                    break;
                case MethodInfo method when !method.IsSpecialName || method.Name.StartsWith("op_", StringComparison.Ordinal):
                    var generics = method.IsGenericMethod ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : string.Empty;
                    yield return $"{Modifiers(method)}{Name(method.ReturnParameter, nullability)} {method.Name}{generics}({Parameters(method, nullability)})";
                    break;
                case PropertyInfo property:
                    var accessors = string.Join(' ', new[] { property.GetMethod, property.SetMethod }
                        .Where(a => a is not null && (a.IsPublic || a.IsFamily || a.IsFamilyOrAssembly))
                        .Select(a => a == property.GetMethod ? "get;" : IsInitOnly(a!) ? "init;" : "set;"));
                    var accessor = (property.GetMethod ?? property.SetMethod)!;
                    yield return $"{Modifiers(accessor)}{Name(nullability.Create(property))} {property.Name} {{ {accessors} }}";
                    break;
                case FieldInfo field:
                    var constant = field.IsLiteral ? " = " + Literal(field.GetRawConstantValue()) : string.Empty;
                    yield return $"{(field.IsLiteral ? "const " : field.IsStatic ? "static " : string.Empty)}{(field.IsInitOnly ? "readonly " : string.Empty)}{Name(nullability.Create(field))} {field.Name}{constant}";
                    break;
                case EventInfo @event:
                    yield return $"event {Name(@event.EventHandlerType!)} {@event.Name}";
                    break;
                case Type:
                    break;
                default:
                    break;
            }
        }
    }

    private static bool IsVisible(MemberInfo member) => member switch
    {
        MethodBase method => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly,
        PropertyInfo property => new[] { property.GetMethod, property.SetMethod }.Any(a => a is not null && (a.IsPublic || a.IsFamily || a.IsFamilyOrAssembly)),
        FieldInfo field => field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly,
        EventInfo @event => @event.AddMethod is { } add && (add.IsPublic || add.IsFamily),
        _ => false,
    };

    private static string Modifiers(MethodBase method)
    {
        var text = new StringBuilder(method.IsPublic ? string.Empty : "protected ");
        if (method.IsStatic)
        {
            text.Append("static ");
        }
        else if (method.IsAbstract && !method.DeclaringType!.IsInterface)
        {
            text.Append("abstract ");
        }
        else if (method is MethodInfo m && m.GetBaseDefinition() != m)
        {
            text.Append("override ");
        }
        else if (method.IsVirtual && !method.IsFinal && !method.DeclaringType!.IsInterface)
        {
            text.Append("virtual ");
        }

        return text.ToString();
    }

    private static string Parameters(MethodBase method, NullabilityInfoContext nullability) => string.Join(", ", method.GetParameters().Select(p =>
    {
        var prefix = p.IsDefined(typeof(ParamArrayAttribute)) || p.GetCustomAttributes().Any(a => a.GetType().Name == "ParamCollectionAttribute") ? "params "
            : p.IsOut ? "out " : p.ParameterType.IsByRef ? "ref " : string.Empty;
        var attributes = p.GetCustomAttributes().Any(a => a.GetType().Name == "EnumeratorCancellationAttribute") ? "[EnumeratorCancellation] " : string.Empty;
        var value = !p.HasDefaultValue ? string.Empty
            : p.RawDefaultValue is null && p.ParameterType.IsValueType && Nullable.GetUnderlyingType(p.ParameterType) is null ? " = default"
            : " = " + Literal(p.RawDefaultValue);
        var extension = p.Position == 0 && method.IsDefined(typeof(System.Runtime.CompilerServices.ExtensionAttribute)) ? "this " : string.Empty;
        return $"{attributes}{extension}{prefix}{Name(nullability.Create(p))} {p.Name}{value}";
    }));

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");

    private static string Literal(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };

    private static string Name(ParameterInfo parameter, NullabilityInfoContext nullability) =>
        parameter.ParameterType == typeof(void) ? "void" : Name(nullability.Create(parameter));

    private static string Name(NullabilityInfo info)
    {
        var type = info.Type.IsByRef ? info.Type.GetElementType()! : info.Type;
        string name;
        if (type.IsArray && info.ElementType is { } element)
        {
            name = Name(element) + "[]";
        }
        else if (type.IsGenericType && Nullable.GetUnderlyingType(type) is null)
        {
            var args = info.GenericTypeArguments.Length == type.GetGenericArguments().Length
                ? info.GenericTypeArguments.Select(Name)
                : type.GetGenericArguments().Select(Name);
            name = GenericName(type) + "<" + string.Join(", ", args) + ">";
        }
        else
        {
            name = Name(type);
        }

        return info.ReadState == NullabilityState.Nullable && !type.IsValueType ? name + "?" : name;
    }

    private static string Name(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying) + "?";
        }

        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        return type.IsGenericType
            ? GenericName(type) + "<" + string.Join(", ", type.GetGenericArguments().Select(Name)) + ">"
            : (type.FullName ?? type.Name).Replace('+', '.');
    }

    private static string GenericName(Type type)
    {
        var definition = type.GetGenericTypeDefinition();
        var full = (definition.FullName ?? definition.Name).Replace('+', '.');
        return full[..full.IndexOf('`', StringComparison.Ordinal)];
    }
}
