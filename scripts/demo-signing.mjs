// A demo signing identity for `npm start`: a throw-away CA and a signing certificate it issued, so the
// example workflow can sign profiles out of the box. Real deployments put their own in the credential.
import forge from 'node-forge';

function certificate({ subject, issuer, publicKey, signingKey, serial, ca, email }) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 2 * 365 * 24 * 3600 * 1000);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  cert.setExtensions(
    ca
      ? [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }]
      : email
        ? [
            { name: 'basicConstraints', cA: false },
            { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
            { name: 'extKeyUsage', clientAuth: true, emailProtection: true },
            { name: 'subjectAltName', altNames: [{ type: 1, value: email }] },
          ]
        : [{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, critical: true }, { name: 'extKeyUsage', codeSigning: true, emailProtection: true }],
  );
  cert.sign(signingKey, forge.md.sha256.create());
  return cert;
}

/** PEM of a demo CA, and of a signing certificate and key it issued. */
export function demoSigningIdentity() {
  const caKeys = forge.pki.rsa.generateKeyPair(2048);
  const caName = [{ name: 'commonName', value: 'EAS Profiles Demo CA' }, { name: 'organizationName', value: 'Example Corp' }];
  const ca = certificate({ subject: caName, issuer: caName, publicKey: caKeys.publicKey, signingKey: caKeys.privateKey, serial: '01', ca: true });
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const name = [{ name: 'commonName', value: 'EAS Profiles Demo Signer' }, { name: 'organizationName', value: 'Example Corp' }];
  const signer = certificate({ subject: name, issuer: caName, publicKey: keys.publicKey, signingKey: caKeys.privateKey, serial: '02', ca: false });
  return {
    ca: { cert: ca, key: caKeys.privateKey, name: caName },
    caPem: forge.pki.certificateToPem(ca),
    certificatePem: forge.pki.certificateToPem(signer) + forge.pki.certificateToPem(ca),
    privateKeyPem: forge.pki.privateKeyToPem(keys.privateKey),
  };
}

/** n8n credentials (plain data; `n8n import:credentials` encrypts it) for the demo signing identity. */
export function demoSigningCredential({ certificatePem, privateKeyPem }) {
  return [
    {
      id: 'easDemoSigningId',
      name: 'EAS demo signing identity',
      type: 'easSigningIdentityApi',
      data: { format: 'pem', publicCertificate: certificatePem, privateKey: privateKeyPem, passphrase: '', chain: '' },
    },
  ];
}

/** A demo client identity for an owner (e-mail in the SAN, clientAuth), issued by the demo CA, as a PKCS#12 file. */
export function demoOwnerIdentity(ca, { name, email, serial }, passphrase) {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const subject = [{ name: 'commonName', value: name }, { name: 'organizationName', value: 'Example Corp' }];
  const cert = certificate({ subject, issuer: ca.name, publicKey: keys.publicKey, signingKey: ca.key, serial, ca: false, email });
  const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert, ca.cert], passphrase, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

/** n8n credential (plain data) with the passphrase of the demo owner identities. */
export function demoPassphraseCredential(passphrase) {
  return [{ id: 'easDemoCertPassphrase', name: 'EAS demo certificate passphrase', type: 'easCertificatePassphraseApi', data: { passphrase } }];
}
