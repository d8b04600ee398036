import '../../components/eas-payload-editor';
import { runFormControlSuite } from './form-control-suite';

const valid = { PayloadDisplayName: 'Work mail', Host: 'mail.example.com', UserName: '{{username}}', SSL: true };

runFormControlSuite({
  tag: 'eas-payload-editor',
  valid: { value: valid, entry: JSON.stringify(valid) },
  invalid: { ...valid, Host: 'https://mail.example.com/EWS' },
  // Restore state never carries the password; what it carries comes back as it was.
  restore: { state: JSON.stringify({ Host: 'restored.example.com' }), value: { Host: 'restored.example.com' } },
});
