export const profile = (idToken) => fetch('https://login.example.com/tokeninfo', { method: 'POST', body: JSON.stringify({ id_token: idToken }) });

// A partner's API with the same path, on a host no setting here names.
export const partner = () => fetch('https://api.partner.example/delegation');
