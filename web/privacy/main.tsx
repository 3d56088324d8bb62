/** The privacy center at /privacy: a member's data, consents and rights, through the public API. */
import '../shared/base.css';
import './privacy.css';
import { startPage } from '../shared/page';
import { PrivacyCenter } from './center';

void startPage('privacy', PrivacyCenter);
