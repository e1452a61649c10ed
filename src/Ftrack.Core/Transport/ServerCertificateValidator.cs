using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ftrack.Core.Transport
{
    /// <summary>
    /// Decides whether a server's TLS certificate is accepted, and says why when it is not. A
    /// certificate the system accepts is accepted. One the system refuses only because its chain
    /// ends at an authority the system does not know is accepted when that chain, built again with
    /// the session's trusted certificates, reaches one of them with nothing else wrong on the way
    /// (dates, signatures, usage): never weaker than the system's check. A name mismatch is never
    /// forgiven. (netstandard2.0 has no X509ChainTrustMode.CustomRootTrust, hence the rebuilt chain.)
    /// </summary>
    internal sealed class ServerCertificateValidator
    {
        // What the rebuilt chain reports about an authority it does not know: the trusted list decides that.
        private const X509ChainStatusFlags UnknownAuthority = X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain;

        // When the system refused the chain without saying why: refused all the same.
        private const string InvalidChain = "its certificate chain is not valid";

        private readonly IReadOnlyList<X509Certificate2> _trusted;
        private readonly bool _skip;
        // The last refusal per server (host:port), for the error the refused request then raises.
        private readonly ConcurrentDictionary<string, string> _refusals = new(StringComparer.OrdinalIgnoreCase);

        public ServerCertificateValidator(IReadOnlyList<X509Certificate2> trusted, bool skip)
        {
            _trusted = trusted;
            _skip = skip;
        }

        /// <summary>The HttpClientHandler callback: records why a certificate is refused.</summary>
        public bool Validate(HttpRequestMessage request, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (_skip) return true;
            var host = request.RequestUri?.Host ?? "";
            var refusal = Check(certificate, chain, errors, host);
            var key = request.RequestUri?.Authority ?? "";
            if (refusal is null) _refusals.TryRemove(key, out _);
            else _refusals[key] = refusal;
            return refusal is null;
        }

        /// <summary>Why this server's certificate was last refused, in plain words; null when it was not.</summary>
        public string? RefusalFor(Uri server) => _refusals.TryGetValue(server.Authority, out var why) ? why : null;

        /// <summary>Null when the certificate is accepted for <paramref name="host"/>, else why not.</summary>
        internal string? Check(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors, string host)
        {
            if (errors == SslPolicyErrors.None) return null;
            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) return "the server sent no certificate.";
            var reasons = new List<string>();
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                reasons.Add("it is for " + NamesOf(certificate) + ", not for " + host);
            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0 && ChainProblem(certificate, chain) is { } problem)
                reasons.Add(problem);
            if (reasons.Count == 0) return null;
            return "the server's certificate (subject '" + certificate.Subject + "', issued by '" + certificate.Issuer + "', valid "
                + Date(certificate.NotBefore) + " to " + Date(certificate.NotAfter) + ") is not accepted: " + string.Join("; and ", reasons) + ".";
        }

        private string? ChainProblem(X509Certificate2 certificate, X509Chain? systemChain)
        {
            if (_trusted.Count == 0)
                return (systemChain is null ? null : Describe(certificate, systemChain, systemChain.ChainElements.Count - 1, trustedAnchor: false)) ?? InvalidChain;
            using var chain = new X509Chain();
            var policy = chain.ChainPolicy;
            if (systemChain != null)
            {
                // The system's own policy (revocation, server-authentication usage, time), so the
                // rebuilt chain checks everything the system checked.
                policy.RevocationMode = systemChain.ChainPolicy.RevocationMode;
                policy.RevocationFlag = systemChain.ChainPolicy.RevocationFlag;
                policy.VerificationTime = systemChain.ChainPolicy.VerificationTime;
                foreach (var oid in systemChain.ChainPolicy.ApplicationPolicy) policy.ApplicationPolicy.Add(oid);
                foreach (var oid in systemChain.ChainPolicy.CertificatePolicy) policy.CertificatePolicy.Add(oid);
                // The intermediates the server sent.
                policy.ExtraStore.AddRange(systemChain.ChainPolicy.ExtraStore);
                foreach (var element in systemChain.ChainElements) policy.ExtraStore.Add(element.Certificate);
            }
            else
            {
                policy.RevocationMode = X509RevocationMode.NoCheck;
            }
            foreach (var trusted in _trusted) policy.ExtraStore.Add(trusted);
            policy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
            chain.Build(certificate);

            var elements = chain.ChainElements;
            var anchor = -1;
            for (var i = 0; i < elements.Count && anchor < 0; i++)
                if (IsTrusted(elements[i].Certificate)) anchor = i;
            // Without a trusted anchor, everything up to where the chain ended is reported.
            return anchor < 0 ? Describe(certificate, chain, elements.Count - 1, trustedAnchor: false) ?? InvalidChain : Describe(certificate, chain, anchor, trustedAnchor: true);
        }

        private bool IsTrusted(X509Certificate2 certificate) => _trusted.Any(t => t.RawData.SequenceEqual(certificate.RawData));

        /// <summary>
        /// What is wrong with the chain from the server's certificate up to <paramref name="last"/>;
        /// null when nothing is (which only a trusted anchor makes possible).
        /// </summary>
        private static string? Describe(X509Certificate2 certificate, X509Chain chain, int last, bool trustedAnchor)
        {
            var elements = chain.ChainElements;
            var problems = new List<string>();
            var unknownAuthority = chain.ChainStatus.Any(s => (s.Status & UnknownAuthority) != 0);
            for (var i = 0; i <= last && i < elements.Count; i++)
            {
                var element = elements[i];
                var who = i == 0 ? "it" : "the authority '" + element.Certificate.Subject + "' in its chain";
                foreach (var status in element.ChainElementStatus)
                {
                    if ((status.Status & UnknownAuthority) != 0) { unknownAuthority = true; continue; }
                    if (status.Status == X509ChainStatusFlags.NoError) continue;
                    problems.Add(Words(who, element.Certificate, status));
                }
            }
            if (!trustedAnchor && unknownAuthority)
            {
                var top = last >= 0 && last < elements.Count ? elements[last].Certificate : certificate;
                var selfSigned = top.SubjectName.RawData.SequenceEqual(top.IssuerName.RawData);
                problems.Add(selfSigned
                    ? "its root authority '" + top.Subject + "' is not trusted (it is in neither the system's trust store nor the certificates trusted for this session)"
                    : "its issuer '" + top.Issuer + "' is not a trusted authority (it is in neither the system's trust store nor the certificates trusted for this session)");
            }
            return problems.Count == 0 ? null : string.Join("; ", problems.Distinct());
        }

        private static string Words(string who, X509Certificate2 certificate, X509ChainStatus status) => status.Status switch
        {
            X509ChainStatusFlags.NotTimeValid when certificate.NotAfter < DateTime.Now => who + " expired on " + Date(certificate.NotAfter),
            X509ChainStatusFlags.NotTimeValid => who + " is not valid before " + Date(certificate.NotBefore),
            X509ChainStatusFlags.Revoked => who + " was revoked",
            X509ChainStatusFlags.NotSignatureValid => who + " has a signature that does not verify (it was not signed by the authority it names)",
            X509ChainStatusFlags.NotValidForUsage => who + " is not valid for server authentication",
            _ => who + ": " + status.Status + " (" + status.StatusInformation.Trim() + ")",
        };

        private static string NamesOf(X509Certificate2 certificate)
        {
            foreach (var extension in certificate.Extensions)
            {
                // subjectAltName: the names a client checks (the common name only when it is absent).
                if (extension.Oid?.Value == "2.5.29.17")
                    return new AsnEncodedData(extension.Oid, extension.RawData).Format(false);
            }
            return certificate.GetNameInfo(X509NameType.DnsName, false);
        }

        private static string Date(DateTime local) => local.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
    }
}
