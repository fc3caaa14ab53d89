// Lab 03's wrong-but-plausible versions (npm run mutants proves its checks catch each one).
import { defineMutants } from '#shared/workbook/mutants.ts';

export default defineMutants({
  lab: '03',
  mutants: [
    {
      id: 'token-in-structured-content',
      title: "hands the user's Entra access token to the MCP client in structuredContent",
      file: 'src/user-details.ts',
      find: 'structuredContent: me }',
      replace: 'structuredContent: { ...me, accessToken } }',
      rule: { section: '#goal', quote: "which never leaves the server" },
      caughtBy: ['03.5.1'],
    },
    {
      id: 'no-redirect-check',
      title: 'redirects to any redirect URI',
      file: 'src/auth-provider.ts',
      find: 'client.redirect_uris.includes(params.redirectUri)',
      replace: 'true',
      rule: { section: '#step-1-start-the-sign-in', quote: 'Never redirect to a URI you have not' },
      caughtBy: ['03.1.2'],
    },
  ],
  otherStatements: [],
});
