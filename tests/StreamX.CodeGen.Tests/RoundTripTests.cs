using System.Reflection;
using StreamX.CodeGen.Tests.Infrastructure;
using StreamX.Idl;
using StreamX.Idl.Model;
using StreamX.Thrift;

namespace StreamX.CodeGen.Tests;

/// <summary>
/// Random instances of every generated struct, union and exception, written and read back in the
/// Binary and Compact protocols, must be equal to the original and re-encode to the same bytes.
/// </summary>
public class RoundTripTests
{
    private const int InstancesPerType = 4;

    public static TheoryData<string> IdlFiles() => CompileTests.IdlFiles();

    [Theory]
    [MemberData(nameof(IdlFiles))]
    public void RandomInstancesRoundTrip(string id)
    {
        var path = CompileTests.Resolve(id);
        var model = IdlCompiler.Compile(new IdlCompileRequest(new[] { path })).Model!;
        var generator = new CSharpGenerator(new CodeGenOptions());
        var files = generator.Generate(model).Files;
        var assembly = RoslynCompiler.Load(RoslynCompiler.Create(files.Select(f => (f.FileName, f.Content))));
        var random = new RandomValues(seed: StableSeed(id), assembly, generator);
        var checkedTypes = 0;
        foreach (var structModel in model.Files.SelectMany(f => f.Structs))
        {
            for (var i = 0; i < InstancesPerType; i++)
            {
                var instance = random.Struct(structModel);
                if (instance is null)
                {
                    continue;
                }

                foreach (var protocol in new[] { ThriftProtocol.Binary, ThriftProtocol.Compact })
                {
                    RoundTrip(instance, protocol, $"{id} {structModel.Name} #{i} {protocol}");
                }
            }

            checkedTypes++;
        }

        Assert.Equal(model.Files.Sum(f => f.Structs.Count()), checkedTypes);
    }

    private static void RoundTrip(object instance, ThriftProtocol protocol, string what)
    {
        var type = instance.GetType();
        var bytes = Serialize(type, instance, protocol);
        var decoded = Deserialize(type, bytes, protocol);
        Assert.True(instance.Equals(decoded), $"{what}: decoded value differs\n  original: {instance}\n  decoded:  {decoded}");
        Assert.Equal(instance.GetHashCode(), decoded.GetHashCode());
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(Serialize(type, decoded, protocol)));
    }

    private static byte[] Serialize(Type type, object value, ThriftProtocol protocol)
    {
        var method = typeof(ThriftSerializer).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == nameof(ThriftSerializer.Serialize) && m.ReturnType == typeof(byte[]) && m.GetParameters().Length == 2)
            .MakeGenericMethod(type);
        return (byte[])Invoke(method, value, protocol);
    }

    private static object Deserialize(Type type, byte[] bytes, ThriftProtocol protocol)
    {
        var method = typeof(RoundTripTests).GetMethod(nameof(DeserializeCore), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
        return Invoke(method, bytes, protocol);
    }

    private static T DeserializeCore<T>(byte[] bytes, ThriftProtocol protocol)
        where T : IThriftStruct<T> => ThriftSerializer.Deserialize<T>(bytes.AsSpan(), protocol);

    private static object Invoke(MethodInfo method, params object[] args)
    {
        try
        {
            return method.Invoke(null, args)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private static int StableSeed(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
